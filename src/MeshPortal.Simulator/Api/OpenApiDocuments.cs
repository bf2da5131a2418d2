using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Api;

/// <summary>
/// The <c>/openapi/v3</c> that lets <c>kubectl apply --server-side</c> and <c>kubectl create</c> run with default
/// validation (stack-notes §5): every served group/version lists, per resource, its operations carrying
/// <c>x-kubernetes-group-version-kind</c> and a <c>fieldValidation</c> query parameter, so kubectl leaves validation to
/// the server. Custom resources also publish their CRD schema of this Istio release under
/// <c>components.schemas["io.istio.networking.v1beta1.ServiceEntry"]</c>, as the API server publishes CRD schemas
/// (so <c>kubectl explain</c> reads it). <c>/openapi/v2</c> is not served.
/// </summary>
internal static class OpenApiDocuments
{
    private const string Hash = "5F1B2C3D4E5F60718293A4B5C6D7E8F9";

    public static JsonObject Index(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var (prefix, _, _) in GroupVersions(catalog))
        {
            paths[prefix] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{prefix}?hash={Hash}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document for "api/v1" or "apis/group/version", or null when not served.</summary>
    private const string CrdApi = "apiextensions.k8s.io/v1";

    public static JsonObject? Document(ResourceCatalog catalog, string prefix, Validation.Schemas.CrdSchemas? schemas = null)
    {
        if (prefix == $"apis/{CrdApi}")
        {
            return CrdApiDocument();
        }

        var match = GroupVersions(catalog).FirstOrDefault(gv => gv.Prefix == prefix);
        if (match.Prefix is null)
        {
            return null;
        }

        var paths = new JsonObject();
        var components = new JsonObject();
        foreach (var t in catalog.In(match.Group, match.Version))
        {
            if (t.IsCustom && schemas?.RawSchema(t.Kind, match.Version) is { } schema)
            {
                schema["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = t.Group, ["kind"] = t.Kind, ["version"] = match.Version });
                components[DefinitionName(t, match.Version)] = schema;
            }

            var root = "/" + prefix + (t.Namespaced ? "/namespaces/{namespace}/" : "/") + t.Plural + "/{name}";
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = match.Version, ["kind"] = t.Kind };
            paths[root] = new JsonObject
            {
                ["get"] = Operation("read", t, gvk, "get"),
                ["put"] = Operation("replace", t, gvk, "put"),
                ["patch"] = Operation("patch", t, gvk, "patch"),
                ["delete"] = Operation("delete", t, gvk, "delete"),
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = components },
        };
    }

    /// <summary>"io.istio.networking.v1beta1.ServiceEntry": the group reversed, the version, the kind.</summary>
    public static string DefinitionName(ResourceType t, string version) =>
        $"{string.Join('.', t.Group.Split('.').Reverse())}.{version}.{t.Kind}";

    private static JsonObject Operation(string verb, ResourceType t, JsonObject gvk, string action)
    {
        var parameters = new JsonArray();
        foreach (var p in new[] { "dryRun", "fieldManager", "fieldValidation", "force" })
        {
            if (action is "patch" or "put" || p == "dryRun" && action == "delete")
            {
                parameters.Add(new JsonObject
                {
                    ["name"] = p, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = p == "force" ? "boolean" : "string" },
                });
            }
        }

        return new JsonObject
        {
            ["operationId"] = $"{verb}{(t.Namespaced ? "Namespaced" : "")}{t.Kind}",
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
    }

    /// <summary>
    /// The CustomResourceDefinition API's document: kubectl (QueryParamVerifierV3) falls back to it to learn whether
    /// custom resources take fieldValidation when a group/version is not served, and then reports "no matches for kind".
    /// </summary>
    private static JsonObject CrdApiDocument()
    {
        var type = new ResourceType("apiextensions.k8s.io", ["v1"], "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, ["crd", "crds"]);
        var gvk = new JsonObject { ["group"] = type.Group, ["version"] = "v1", ["kind"] = type.Kind };
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "unversioned" },
            ["paths"] = new JsonObject
            {
                ["/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"] = new JsonObject
                {
                    ["get"] = Operation("read", type, gvk, "get"),
                    ["put"] = Operation("replace", type, gvk, "put"),
                    ["patch"] = Operation("patch", type, gvk, "patch"),
                    ["delete"] = Operation("delete", type, gvk, "delete"),
                },
            },
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static IEnumerable<(string Prefix, string Group, string Version)> GroupVersions(ResourceCatalog catalog)
    {
        yield return ("api/v1", "", "v1");
        yield return ($"apis/{CrdApi}", "apiextensions.k8s.io", "v1");
        foreach (var (group, versions) in catalog.Groups())
        {
            foreach (var v in versions)
            {
                yield return ($"apis/{group}/{v}", group, v);
            }
        }
    }
}
