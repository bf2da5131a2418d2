using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Api;

/// <summary>
/// The read-only <c>apiextensions.k8s.io/v1</c> CustomResourceDefinitions a cluster with this catalog has installed
/// (Istio's CRDs at the versions its release serves, the MCS CRDs when installed). kubectl's validation lists them to
/// know a kind is a CRD, and so reports "no matches for kind" for versions the cluster does not serve.
/// </summary>
internal static class CrdDocuments
{
    public const string Group = "apiextensions.k8s.io";

    public static JsonObject List(ResourceCatalog catalog, string resourceVersion) => new()
    {
        ["kind"] = "CustomResourceDefinitionList",
        ["apiVersion"] = $"{Group}/v1",
        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        ["items"] = new JsonArray([.. catalog.Types.Where(t => t.IsCustom).Select(t => (JsonNode)Crd(t))]),
    };

    public static JsonObject? Get(ResourceCatalog catalog, string name) =>
        catalog.Types.Where(t => t.IsCustom && t.QualifiedPlural == name).Select(Crd).FirstOrDefault();

    public static JsonObject Resources() => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = $"{Group}/v1",
        ["resources"] = new JsonArray(new JsonObject
        {
            ["name"] = "customresourcedefinitions",
            ["singularName"] = "customresourcedefinition",
            ["namespaced"] = false,
            ["kind"] = "CustomResourceDefinition",
            ["verbs"] = new JsonArray("get", "list"),
            ["shortNames"] = new JsonArray("crd", "crds"),
            ["categories"] = new JsonArray("api-extensions"),
        }),
    };

    private static JsonObject Crd(ResourceType t)
    {
        var storage = t.Versions.OrderByDescending(ResourceCatalog.VersionRank).First();
        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = t.QualifiedPlural },
            ["spec"] = new JsonObject
            {
                ["group"] = t.Group,
                ["names"] = new JsonObject
                {
                    ["kind"] = t.Kind,
                    ["listKind"] = t.Kind + "List",
                    ["plural"] = t.Plural,
                    ["singular"] = t.Singular,
                    ["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode)s)]),
                    ["categories"] = new JsonArray([.. t.Categories.Select(s => (JsonNode)s)]),
                },
                ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
                ["versions"] = new JsonArray([.. t.Versions.Select(v => (JsonNode)new JsonObject
                {
                    ["name"] = v, ["served"] = true, ["storage"] = v == storage, ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                })]),
            },
        };
    }
}
