using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

/// <summary>Network groups, east-west gateway nodes and which failing cross-network edges a down gateway explains.</summary>
[Trait("Speed", "Fast")]
public sealed class NetworkTopologyBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(120);

    private static TopologyCluster Cluster(string name) => new(name.GetHashCode(), name, "1.28.0", "203.0.113.9", true, Now, "Synced", null);

    private static ProbeResultView Result(string source, string target, string host, ProbeStatus status, int ageSeconds = 5) =>
        new(1, source, 2, target, host, 8000, status, status == ProbeStatus.Ok ? 200 : null, 8, Now.AddSeconds(-ageSeconds), $"{status} message", null);

    private static TopologyGraph Graph(IEnumerable<string> clusters, params ProbeResultView[] results) =>
        TopologyBuilder.Build([.. clusters.Select(Cluster)], results, Now, StaleAfter);

    /// <summary>Istio's multi-network guide: c1 on net1, c2 and c3 on net2, an east-west gateway each.</summary>
    private static readonly ClusterNetwork[] TwoNetworks =
    [
        new("c1", "net1", true, "198.51.100.1"), new("c2", "net2", true, "198.51.100.2"), new("c3", "net2", true, "198.51.100.3"),
    ];

    [Fact]
    public void Clusters_are_grouped_by_network_with_the_unknown_ones_last_and_each_east_west_gateway_in_its_group()
    {
        var view = NetworkTopologyBuilder.Build(Graph(["c1", "c2", "c3", "c4"]), [.. TwoNetworks, new ClusterNetwork("c4", null, false, null)]);

        Assert.Equal(["net1", "net2", NetworkTopologyBuilder.NoNetworkLabel], view.Groups.Select(g => g.Label));
        Assert.Equal(["c1"], view.Groups[0].Clusters);
        Assert.Equal(["c2", "c3"], view.Groups[1].Clusters);
        Assert.Equal(["c4"], view.Groups[2].Clusters);
        Assert.Equal(["ew:c2", "ew:c3"], view.Groups[1].Gateways.Select(g => g.Id));
        Assert.Empty(view.Groups[2].Gateways);
        Assert.True(view.HasNetworks);
        // Every cluster sits inside its group's column.
        foreach (var g in view.Groups)
        {
            Assert.All(g.Clusters, c => Assert.InRange(view.Positions[c].X, g.X1, g.X2));
            Assert.All(g.Gateways, gw => Assert.InRange(gw.X, g.X1, g.X2));
            Assert.All(g.Gateways, gw => Assert.InRange(gw.Y, 0, 1));
        }
    }

    [Fact]
    public void The_network_the_check_read_wins_over_the_registered_one()
    {
        var facts = new MeshFacts { Network = "net2", EastWest = new EastWestGatewayFacts("istio-eastwestgateway", "net2", "198.51.100.7", true, false) };
        // Through the serializer the check stores with, so a renamed MeshFacts field fails here.
        Assert.Equal(new ClusterNetwork("c1", "net2", true, "198.51.100.7"), ClusterNetwork.FromFactsJson("c1", "net1", MeshFactsJson.Serialize(facts)));
        Assert.Equal(new ClusterNetwork("c1", "net1", false, null), ClusterNetwork.FromFactsJson("c1", "net1", null));
        Assert.Equal(new ClusterNetwork("c1", "net1", false, null), ClusterNetwork.FromFactsJson("c1", "net1", "{not json"));
        Assert.Equal(new ClusterNetwork("c1", null, false, null), ClusterNetwork.FromFactsJson("c1", " ", MeshFactsJson.Serialize(new MeshFacts())));
        Assert.False(NetworkTopologyBuilder.Build(Graph(["c1"]), [ClusterNetwork.FromFactsJson("c1", null, null)]).HasNetworks);
    }

    [Fact]
    public void A_down_east_west_gateway_explains_the_failing_cross_network_links_and_not_the_same_network_ones()
    {
        // c2's gateway is down: c1 (net1) cannot reach c2, c3 (net2) still reaches c2's pods directly.
        var graph = Graph(["c1", "c2", "c3"],
            Result("c1", "c2", "a.bar.svc.cluster.local", ProbeStatus.Connect),
            Result("c1", "c2", "b.bar.svc.cluster.local", ProbeStatus.Connect),
            Result("c3", "c2", "a.bar.svc.cluster.local", ProbeStatus.Ok),
            Result("c2", "c3", "c.bar.svc.cluster.local", ProbeStatus.Ok),
            Result("c1", "c3", "c.bar.svc.cluster.local", ProbeStatus.Ok));
        var view = NetworkTopologyBuilder.Build(graph, TwoNetworks);

        var gw2 = view.Gateway("ew:c2")!;
        Assert.Equal(TopologyStates.Failing, gw2.State);
        Assert.Equal(2, gw2.FailingLinks);
        Assert.Equal("east-west gateway down — 2 links from other networks fail", gw2.Cause);
        Assert.Equal(TopologyStates.Ok, view.Gateway("ew:c3")!.State);
        Assert.Equal(TopologyStates.Unknown, view.Gateway("ew:c1")!.State); // nothing crosses into net1

        Assert.Equal(new EdgeRoute("c1->c2", true, "ew:c2", "c2's east-west gateway is down"), view.Routes["c1->c2"]);
        Assert.Equal(new EdgeRoute("c3->c2", false, null, null), view.Routes["c3->c2"]);
        Assert.Equal(new EdgeRoute("c1->c3", true, null, null), view.Routes["c1->c3"]);
    }

    [Fact]
    public void A_cross_network_failure_that_is_not_a_connection_class_or_is_mixed_with_successes_is_not_the_gateway()
    {
        var tls = NetworkTopologyBuilder.Build(Graph(["c1", "c2"], Result("c1", "c2", "a.bar.svc.cluster.local", ProbeStatus.Tls)), TwoNetworks);
        Assert.Equal(TopologyStates.Failing, tls.Gateway("ew:c2")!.State);
        Assert.Null(tls.Gateway("ew:c2")!.Cause);
        Assert.Null(tls.Routes["c1->c2"].Via);

        var mixed = NetworkTopologyBuilder.Build(Graph(["c1", "c2", "c3"],
            Result("c1", "c2", "a.bar.svc.cluster.local", ProbeStatus.Connect),
            Result("c1", "c2", "b.bar.svc.cluster.local", ProbeStatus.Ok)), TwoNetworks);
        Assert.Equal(TopologyStates.Partial, mixed.Gateway("ew:c2")!.State);
        Assert.Null(mixed.Routes["c1->c2"].Via);
    }

    [Fact]
    public void Stale_and_unsupported_results_are_not_judged_and_a_cluster_without_an_east_west_gateway_gets_no_gateway_node()
    {
        var stale = NetworkTopologyBuilder.Build(Graph(["c1", "c2"],
            Result("c1", "c2", "a.bar.svc.cluster.local", ProbeStatus.Connect, ageSeconds: 600),
            Result("c1", "c2", "b.bar.svc.cluster.local", ProbeStatus.Unsupported)), TwoNetworks);
        Assert.Equal(TopologyStates.Unknown, stale.Gateway("ew:c2")!.State);
        Assert.Null(stale.Routes["c1->c2"].Via);

        var noGateway = NetworkTopologyBuilder.Build(Graph(["c1", "c2"], Result("c1", "c2", "a.bar.svc.cluster.local", ProbeStatus.Connect)),
            [new ClusterNetwork("c1", "net1", true, null), new ClusterNetwork("c2", "net2", false, null)]);
        Assert.Null(noGateway.Gateway("ew:c2"));
        Assert.Null(noGateway.Routes["c1->c2"].Via); // no gateway to blame: the edge stays a plain failure
        Assert.True(noGateway.Routes["c1->c2"].CrossNetwork);
    }
}
