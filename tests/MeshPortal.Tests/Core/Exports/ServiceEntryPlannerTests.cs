using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using static MeshPortal.Tests.Support.ExportTestData;

namespace MeshPortal.Tests.Core.Exports;

[Trait("Speed", "Fast")]
public sealed class ServiceEntryPlannerTests
{
    /// <summary>The ServiceEntry of the Istio 1.6 docs / the seed article (reference §1), verbatim but for the comments.</summary>
    private const string SeedServiceEntry = """
        {"apiVersion":"networking.istio.io/v1alpha3","kind":"ServiceEntry","metadata":{"name":"httpbin-bar"},
         "spec":{"hosts":["httpbin.bar.global"],"location":"MESH_INTERNAL",
                 "ports":[{"name":"http1","number":8000,"protocol":"http"}],
                 "resolution":"DNS","addresses":["240.0.0.2"],
                 "endpoints":[{"address":"${CLUSTER2_GW_ADDR}","ports":{"http1":15443}}]}}
        """;

    [Fact]
    public void SeedCase_HttpbinBarFromCluster2_ToCluster1_EqualsTheSeedServiceEntry()
    {
        var cluster1 = Cluster(1);
        var cluster2 = Cluster(2, gateway: "203.0.113.2");
        var plan = new ServiceEntryPlanner(Snapshot([cluster1, cluster2], Httpbin())).Plan(cluster1, LiveObjects.Empty);

        var se = Assert.Single(plan.Objects, o => o.Ref.Kind == "ServiceEntry");
        var seed = JsonNode.Parse(SeedServiceEntry.Replace("${CLUSTER2_GW_ADDR}", "203.0.113.2"))!.AsObject();
        Assert.Equal((string?)seed["apiVersion"], (string?)se.Body["apiVersion"]);
        Assert.Equal("ServiceEntry", (string?)se.Body["kind"]);

        // Field for field: the seed's spec, plus exportTo ["*"] (the dedicated namespace must export it mesh-wide).
        // Protocol names are case-insensitive in Istio; MeshPortal writes the canonical "HTTP" where the docs wrote "http".
        var expected = seed["spec"]!.DeepClone().AsObject();
        expected["ports"]![0]!["protocol"] = "HTTP";
        expected["exportTo"] = new JsonArray("*");
        Assert.True(JsonNode.DeepEquals(expected, se.Body["spec"]), $"expected {expected.ToJsonString()}\nactual   {se.Body["spec"]!.ToJsonString()}");

        Assert.Equal("httpbin-bar-global", se.Ref.Name);
        Assert.Equal("meshportal-exports", se.Ref.Namespace);
        Assert.Equal("export/1", se.Source);
        Assert.Equal(ApplyMode.Owned, se.Mode);
        Assert.Equal("meshportal", (string?)se.Body["metadata"]!["labels"]![ManagedLabels.ManagedBy]);
        Assert.Equal("export/1", (string?)se.Body["metadata"]!["annotations"]![ManagedLabels.Source]);

        var ns = Assert.Single(plan.Objects, o => o.Ref.Kind == "Namespace");
        Assert.Equal(ApplyMode.CreateOnly, ns.Mode);
        Assert.Equal("meshportal-exports", ns.Ref.Name);
    }

    [Theory]
    [InlineData("1.6.8", "networking.istio.io/v1alpha3")]
    [InlineData("1.7.3", "networking.istio.io/v1alpha3")]
    [InlineData("1.8.0", "networking.istio.io/v1beta1")]
    [InlineData("1.21.2", "networking.istio.io/v1beta1")]
    [InlineData("1.22.0", "networking.istio.io/v1")]
    [InlineData(null, "networking.istio.io/v1alpha3")]
    public void ApiVersion_FollowsWhatTheConsumerServes(string? istio, string apiVersion)
    {
        // The builder alone: whether the .global model carries a pair is the planner's (and GlobalModelRules') business.
        var consumer = Cluster(1, istio);
        var se = ServiceEntryBuilder.Build(Httpbin(), Cluster(2), consumer, new ExportPlanSettings());
        Assert.Equal(apiVersion, (string?)se.Body["apiVersion"]);
    }

    [Fact]
    public void UnsupportedConsumer_GetsNoServiceEntry_AndTheVerdictSaysWhy()
    {
        var consumer = Cluster(1, "1.24.0", dnsProxying: true);
        var snapshot = Snapshot([consumer, Cluster(2)], Httpbin());
        Assert.Empty(new ServiceEntryPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects);
        var verdict = snapshot.Verdict(snapshot.Exports[0], 1);
        Assert.Equal(PairSupport.Unsupported, verdict.Support);
        Assert.StartsWith("cluster-1 cannot consume .global services", verdict.Reason);
    }

    [Fact]
    public void ClusterWithoutMeshFacts_GetsNothing_UntilItsCheckRuns()
    {
        var consumer = Cluster(1) with { Mesh = null };
        var snapshot = Snapshot([consumer, Cluster(2)], Httpbin());
        Assert.Empty(new ServiceEntryPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects);
        Assert.Equal(PairSupport.Unknown, snapshot.Verdict(snapshot.Exports[0], 1).Support);
    }

    [Fact]
    public void GatewayWithoutLoadBalancer_UsesItsNodePortAndNodeAddress()
    {
        var consumer = Cluster(1);
        var exporter = Cluster(2, gateway: "198.51.100.2", gatewayPort: 31020);
        var se = new ServiceEntryPlanner(Snapshot([consumer, exporter], Httpbin())).Plan(consumer, LiveObjects.Empty).Objects.Single(o => o.Ref.Kind == "ServiceEntry");
        Assert.Equal("198.51.100.2", (string?)se.Body["spec"]!["endpoints"]![0]!["address"]);
        Assert.Equal(31020, (int)se.Body["spec"]!["endpoints"]![0]!["ports"]!["http1"]!);
    }

    [Fact]
    public void ExporterWithoutGatewayAddress_IsSkippedWithANote()
    {
        var consumer = Cluster(1);
        var exporter = Cluster(2) with { GatewayAddress = null };
        var plan = new ServiceEntryPlanner(Snapshot([consumer, exporter], Httpbin())).Plan(consumer, LiveObjects.Empty);
        Assert.Empty(plan.Objects);
        Assert.Contains(plan.Notes, n => n.Contains("cluster-2 has no known ingress gateway address", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyConsumersGetTheEntry_AllConsumersMeansEveryOtherCluster()
    {
        ClusterTarget[] clusters = [Cluster(1), Cluster(2), Cluster(3)];
        var subset = Snapshot(clusters, Httpbin(consumers: [3]));
        Assert.Empty(new ServiceEntryPlanner(subset).Plan(clusters[0], LiveObjects.Empty).Objects);
        Assert.Empty(new ServiceEntryPlanner(subset).Plan(clusters[1], LiveObjects.Empty).Objects);
        Assert.Contains(new ServiceEntryPlanner(subset).Plan(clusters[2], LiveObjects.Empty).Objects, o => o.Ref.Kind == "ServiceEntry");

        var all = Snapshot(clusters, Httpbin(all: true));
        Assert.Contains(new ServiceEntryPlanner(all).Plan(clusters[0], LiveObjects.Empty).Objects, o => o.Ref.Kind == "ServiceEntry");
        Assert.Empty(new ServiceEntryPlanner(all).Plan(clusters[1], LiveObjects.Empty).Objects);
        Assert.Contains(new ServiceEntryPlanner(all).Plan(clusters[2], LiveObjects.Empty).Objects, o => o.Ref.Kind == "ServiceEntry");
    }

    [Fact]
    public void Resolution_IsDns_UnlessStaticIsConfiguredAndEveryEndpointIsAnIp()
    {
        Assert.Equal("DNS", ServiceEntryBuilder.Resolution(["203.0.113.2"], new ExportPlanSettings()));
        Assert.Equal("STATIC", ServiceEntryBuilder.Resolution(["203.0.113.2"], new ExportPlanSettings(StaticWhenIp: true)));
        Assert.Equal("DNS", ServiceEntryBuilder.Resolution(["gw.example.com"], new ExportPlanSettings(StaticWhenIp: true)));
    }

    [Fact]
    public void SeveralPorts_EachMapToThePassthroughPort()
    {
        var consumer = Cluster(1);
        var export = Httpbin() with { Ports = [new("http", 8000, "HTTP"), new("grpc-api", 9000, "GRPC")] };
        var spec = new ServiceEntryPlanner(Snapshot([consumer, Cluster(2)], export)).Plan(consumer, LiveObjects.Empty).Objects.Single(o => o.Ref.Kind == "ServiceEntry").Body["spec"]!;
        Assert.Equal("""[{"name":"http","number":8000,"protocol":"HTTP"},{"name":"grpc-api","number":9000,"protocol":"GRPC"}]""", spec["ports"]!.ToJsonString());
        Assert.Equal("""{"http":15443,"grpc-api":15443}""", spec["endpoints"]![0]!["ports"]!.ToJsonString());
    }
}
