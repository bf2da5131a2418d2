using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

[Trait("Speed", "Fast")]
public sealed class TopologyBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(120);

    private static TopologyCluster Cluster(int id, string name, bool? up = true) => new(id, name, "1.6.8", "203.0.113.1", up, Now, "Synced", null);

    private static ProbeResultView Result(string source, string target, string host, ProbeStatus status, double? ms = 10, int ageSeconds = 5) =>
        new(1, source, 2, target, host, 8000, status, status == ProbeStatus.Ok ? 200 : null, ms, Now.AddSeconds(-ageSeconds), "m", "h");

    [Fact]
    public void Clusters_become_nodes_on_a_stable_circle_and_edges_aggregate_probes()
    {
        var graph = TopologyBuilder.Build([Cluster(2, "b"), Cluster(1, "a", up: false), Cluster(3, "c", up: null)],
        [
            Result("a", "b", "s1.ns.global", ProbeStatus.Ok, 10),
            Result("a", "b", "s2.ns.global", ProbeStatus.Ok, 30),
            Result("a", "b", "s3.ns.global", ProbeStatus.Tls),
            Result("c", "b", "s1.ns.global", ProbeStatus.Ok, 12),
        ], Now, StaleAfter);

        Assert.Equal(["a", "b", "c"], graph.Nodes.Select(n => n.Id));
        Assert.Equal(["failing", "ok", "unknown"], graph.Nodes.Select(n => n.State));
        Assert.Equal((0.5, 0.12), (graph.Nodes[0].X, graph.Nodes[0].Y));
        var ab = graph.Edges.Single(e => e.Id == "a->b");
        Assert.Equal((TopologyStates.Partial, 3, 2, ProbeStatus.Tls, 20.0), (ab.State, ab.Total, ab.OkCount, ab.WorstStatus, ab.P50LatencyMs));
        Assert.Equal(TopologyStates.Ok, graph.Edges.Single(e => e.Id == "c->b").State);
    }

    [Fact]
    public void Edges_come_in_name_order_with_their_links_by_host_then_port_and_unregistered_clusters_are_left_out()
    {
        static ProbeResultView At(int sourceId, string source, int targetId, string target, string host, int port) =>
            new(sourceId, source, targetId, target, host, port, ProbeStatus.Ok, 200, 5, Now, null, null);
        var graph = TopologyBuilder.Build([Cluster(1, "zeta"), Cluster(2, "alpha"), Cluster(3, "mid")],
        [
            At(1, "zeta", 2, "alpha", "b.ns.global", 9000),
            At(3, "mid", 2, "alpha", "b.ns.global", 8000),
            At(1, "zeta", 2, "alpha", "a.ns.global", 8000),
            At(1, "zeta", 2, "alpha", "b.ns.global", 80),
            At(2, "alpha", 1, "zeta", "z.ns.global", 8000),
            At(9, "gone", 2, "alpha", "a.ns.global", 8000), // its cluster was removed
            At(1, "renamed", 2, "alpha", "a.ns.global", 8000), // an id whose cluster now has another name: not this cluster's result
            At(7, "mid", 1, "zeta", "m.ns.global", 8000), // the name of a registered cluster under another id counts by name, as before
        ], Now, StaleAfter);

        Assert.Equal(["alpha->zeta", "mid->alpha", "mid->zeta", "zeta->alpha"], graph.Edges.Select(e => e.Id));
        var zetaAlpha = graph.Edges[^1];
        Assert.Equal(["a.ns.global:8000", "b.ns.global:80", "b.ns.global:9000"], zetaAlpha.Services.Select(l => $"{l.Host}:{l.Port}"));
        Assert.Equal(3, zetaAlpha.Total);
        Assert.Equal(6, graph.Edges.Sum(e => e.Total));
    }

    [Theory]
    [InlineData(ProbeStatus.Dns, 5, "failing")]
    [InlineData(ProbeStatus.Unknown, 5, "unknown")]
    [InlineData(ProbeStatus.Ok, 500, "stale")]
    [InlineData(ProbeStatus.Dns, 500, "stale")]
    public void Edge_state(ProbeStatus status, int age, string expected) =>
        Assert.Equal(expected, TopologyBuilder.BuildEdge("a", "b", [Result("a", "b", "s.ns.global", status, ageSeconds: age)], Now, StaleAfter).State);

    [Fact]
    public void A_tile_percentage_counts_ok_among_judged_results_and_is_null_with_nothing_to_judge()
    {
        Assert.Equal(50, WallBoardBuilder.Percent([Result("a", "b", "s1.ns.global", ProbeStatus.Ok), Result("a", "b", "s2.ns.global", ProbeStatus.Dns),
            Result("a", "b", "s3.ns.global", ProbeStatus.Unknown)]));
        Assert.Null(WallBoardBuilder.Percent([Result("b", "a", "s9.ns.global", ProbeStatus.Unknown)]));
    }

    [Fact]
    public void Builds_100_clusters_and_2000_services_into_one_node_per_cluster()
    {
        var clusters = Enumerable.Range(0, 100).Select(i => Cluster(i, $"cluster-{i:000}")).ToList();
        var results = Enumerable.Range(0, 2000).SelectMany(s => Enumerable.Range(1, 3).Select(k =>
            Result($"cluster-{(s + k) % 100:000}", $"cluster-{s % 100:000}", $"svc{s}.ns.global", s % 7 == 0 ? ProbeStatus.Dns : ProbeStatus.Ok))).ToList();
        var graph = TopologyBuilder.Build(clusters, results, Now, StaleAfter);
        Assert.Equal(100, graph.Nodes.Count);
        Assert.NotEmpty(graph.Edges);
    }
}
