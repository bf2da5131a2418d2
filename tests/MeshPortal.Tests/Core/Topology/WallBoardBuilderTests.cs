using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

/// <summary>The wall screen's tiles: whole-tile state, the cause on the culprit, "affected by" on the others, ages and staleness.</summary>
[Trait("Speed", "Fast")]
public sealed class WallBoardBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan CheckStaleAfter = TimeSpan.FromMinutes(15);

    private static TopologyCluster Cluster(string name, bool? up = true, int checkedMinutesAgo = 1, string sync = "Synced") =>
        new(name.GetHashCode(), name, "1.28.0", "203.0.113.9", up, up is null ? null : Now.AddMinutes(-checkedMinutesAgo), sync, null);

    private static ProbeResultView Result(string source, string target, string host, ProbeStatus status, int ageSeconds = 5) =>
        new(1, source, 2, target, host, 8000, status, null, 8, Now.AddSeconds(-ageSeconds), "m", "h");

    private static WallBoard Build(IReadOnlyList<TopologyCluster> clusters, IReadOnlyList<ProbeResultView> results)
    {
        var health = MeshHealthBuilder.Build(new MeshHealthInput(clusters, results, [], [], 0, Now, StaleAfter));
        return WallBoardBuilder.Build(health, clusters, results, Now, StaleAfter, CheckStaleAfter);
    }

    [Fact]
    public void A_gateway_down_makes_its_cluster_the_red_culprit_and_its_consumers_amber_affected()
    {
        var board = Build([Cluster("c1"), Cluster("c2"), Cluster("c3")],
        [
            Result("c1", "c2", "a.bar.global", ProbeStatus.Connect),
            Result("c3", "c2", "a.bar.global", ProbeStatus.Connect),
            Result("c1", "c3", "b.bar.global", ProbeStatus.Ok),
        ]);

        var c2 = board.Tiles.Single(t => t.Cluster == "c2");
        Assert.Equal((TopologyStates.Failing, "gateway unreachable", 0), (c2.State, c2.Cause, c2.InPercent));
        var c1 = board.Tiles.Single(t => t.Cluster == "c1");
        Assert.Equal((TopologyStates.Partial, (string?)null, 50), (c1.State, c1.Cause, c1.OutPercent));
        Assert.Equal(["c2"], c1.AffectedBy);
        var c3 = board.Tiles.Single(t => t.Cluster == "c3");
        Assert.Equal(TopologyStates.Partial, c3.State); // its only outbound link fails because of c2, its inbound works
        Assert.Equal(["c2"], c3.AffectedBy);
        Assert.Equal("c2: gateway unreachable — 2 links fail", Assert.Single(board.Problems).Title);
    }

    [Fact]
    public void Old_results_grey_the_tile_as_stale_with_their_age_instead_of_showing_green()
    {
        var board = Build([Cluster("c1"), Cluster("c2")], [Result("c1", "c2", "a.bar.global", ProbeStatus.Ok, ageSeconds: 600)]);
        var c1 = board.Tiles.Single(t => t.Cluster == "c1");
        Assert.Equal((TopologyStates.Stale, true, (int?)null), (c1.State, c1.LinksStale, c1.OutPercent));
        Assert.Equal(Now.AddSeconds(-600), c1.LinksObservedAt);
    }

    [Fact]
    public void An_old_connection_check_is_stale_and_an_api_down_cluster_is_red_with_its_cause()
    {
        var board = Build([Cluster("c1", checkedMinutesAgo: 40), Cluster("c2", up: false)], []);
        Assert.Equal((TopologyStates.Stale, true), (board.Tiles[0].State, board.Tiles[0].ApiStale));
        Assert.Equal((TopologyStates.Failing, "Kubernetes API unreachable"), (board.Tiles[1].State, board.Tiles[1].Cause));
        Assert.Equal(HealthLevel.Failing, board.Level);
    }

    [Fact]
    public void Healthy_clusters_are_green_and_unchecked_ones_grey()
    {
        var board = Build([Cluster("c1"), Cluster("c2"), Cluster("new", up: null)], [Result("c1", "c2", "a.bar.global", ProbeStatus.Ok)]);
        Assert.Equal([TopologyStates.Ok, TopologyStates.Ok, TopologyStates.Unknown], board.Tiles.Select(t => t.State));
        Assert.Equal((100, (int?)null), (board.Tiles[0].OutPercent, board.Tiles[0].InPercent));
    }
}
