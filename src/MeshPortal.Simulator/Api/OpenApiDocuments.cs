using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Api;

/// <summary>
/// The minimal <c>/openapi/v3</c> that lets <c>kubectl apply --server-side</c> run with default validation
/// (stack-notes §5): every served group/version lists, per resource, a <c>patch</c> operation carrying
/// <c>x-kubernetes-group-version-kind</c> and a <c>fieldValidation</c> query parameter, so kubectl leaves
/// validation to the server.
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
    public static JsonObject? Document(ResourceCatalog catalog, string prefix)
    {
        var match = GroupVersions(catalog).FirstOrDefault(gv => gv.Prefix == prefix);
        if (match.Prefix is null)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var t in catalog.In(match.Group, match.Version))
        {
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
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

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

    private static IEnumerable<(string Prefix, string Group, string Version)> GroupVersions(ResourceCatalog catalog)
    {
        yield return ("api/v1", "", "v1");
        foreach (var (group, versions) in catalog.Groups())
        {
            foreach (var v in versions)
            {
                yield return ($"apis/{group}/{v}", group, v);
            }
        }
    }
}
