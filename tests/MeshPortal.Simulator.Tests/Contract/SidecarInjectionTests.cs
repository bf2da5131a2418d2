using System.Text.Json.Nodes;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>The simulated injection webhook: a pod created in an injected namespace gets istio-proxy, and keeps it across updates.</summary>
public sealed class SidecarInjectionTests(MeshFixture fx) : IClassFixture<MeshFixture>
{
    private static JsonObject Pod(string ns, string name, string? injectAnnotation = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (injectAnnotation is not null)
        {
            meta["annotations"] = new JsonObject { ["sidecar.istio.io/inject"] = injectAnnotation };
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "curl", ["image"] = "curlimages/curl" }) },
        };
    }

    private static IEnumerable<string> Containers(JsonObject? pod) =>
        (pod?["spec"]?["containers"] as JsonArray ?? []).Select(c => (string?)c!["name"] ?? "");

    [Fact]
    public void Pods_in_an_injected_namespace_get_a_sidecar_unless_they_opt_out_and_other_namespaces_do_not()
    {
        var cluster = fx.Mesh["cluster-1"];
        cluster.Put("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"inj-test","labels":{"istio-injection":"enabled"}}}""");
        cluster.Put("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"plain-test"}}""");

        cluster.Put(Pod("inj-test", "p1"));
        cluster.Put(Pod("inj-test", "p2", injectAnnotation: "false"));
        cluster.Put(Pod("plain-test", "p3"));

        var injected = cluster.Get("", "pods", "inj-test", "p1");
        Assert.Equal(["curl", "istio-proxy"], Containers(injected));
        Assert.Equal("Running", (string?)injected!["status"]!["phase"]);
        Assert.Contains(injected["status"]!["containerStatuses"]!.AsArray(), s => (string?)s!["name"] == "istio-proxy");
        Assert.NotNull(injected["metadata"]!["annotations"]!["sidecar.istio.io/status"]);
        Assert.Equal(["curl"], Containers(cluster.Get("", "pods", "inj-test", "p2")));
        Assert.Equal(["curl"], Containers(cluster.Get("", "pods", "plain-test", "p3")));

        // An update that leaves the sidecar out keeps it (containers are fixed at creation).
        var update = Pod("inj-test", "p1");
        update["metadata"]!["labels"] = new JsonObject { ["x"] = "y" };
        cluster.Put(update);
        Assert.Equal(["curl", "istio-proxy"], Containers(cluster.Get("", "pods", "inj-test", "p1")));
    }
}
