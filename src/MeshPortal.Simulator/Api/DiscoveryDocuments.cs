using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Api;

/// <summary>Legacy (non-aggregated) discovery documents, which both kubectl and KubernetesClient accept.</summary>
internal static class DiscoveryDocuments
{
    public static JsonObject Version(string kubernetesVersion)
    {
        var v = SimVersion.Parse(kubernetesVersion);
        return new JsonObject
        {
            ["major"] = v.Major.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["minor"] = v.Minor.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["gitVersion"] = "v" + v,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-01-01T00:00:00Z",
            ["goVersion"] = "go1.22.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject GroupList(ResourceCatalog catalog)
    {
        var groups = new JsonArray();
        groups.Add(Group(CrdDocuments.Group, ["v1"]));
        foreach (var (group, versions) in catalog.Groups())
        {
            groups.Add(Group(group, versions));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        }

        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    public static JsonObject ResourceList(ResourceCatalog catalog, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var t in catalog.In(group, version))
        {
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray([.. ResourceType.AllVerbs.Select(v => (JsonNode)v)]),
            };
            if (t.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (t.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray([.. t.Categories.Select(s => (JsonNode)s)]);
            }

            resources.Add(entry);
            if (t.HasStatus)
            {
                resources.Add(Sub(t, "status", t.Kind, ["get", "patch", "update"]));
            }

            if (t.Kind == "Pod")
            {
                resources.Add(Sub(t, "exec", "PodExecOptions", ["create", "get"]));
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Sub(ResourceType t, string sub, string kind, string[] verbs) => new()
    {
        ["name"] = $"{t.Plural}/{sub}",
        ["singularName"] = "",
        ["namespaced"] = t.Namespaced,
        ["kind"] = kind,
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
    };
}
