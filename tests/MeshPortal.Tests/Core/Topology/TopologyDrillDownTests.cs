using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

[Trait("Speed", "Fast")]
public sealed class TopologyDrillDownTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Stale = TimeSpan.FromMinutes(2);

    private static ProbeResultView R(string source, string target, string host, ProbeStatus status, double? ms = 5, int ageSeconds = 10) =>
        new(source == "a" ? 1 : source == "b" ? 2 : 3, source, target == "a" ? 1 : target == "b" ? 2 : 3, target, host, 8000, status,
            status == ProbeStatus.Ok ? 200 : null, ms, Now.AddSeconds(-ageSeconds), status == ProbeStatus.Ok ? null : "curl: (6) Could not resolve host", "hint");

    private static TopologyGraph Graph() => TopologyBuilder.Build(
        [new(1, "a", "1.6", null, true, Now, "Synced", null), new(2, "b", "1.6", null, true, Now, "Synced", null), new(3, "c", "1.6", null, true, Now, "Synced", null)],
        [
            R("a", "b", "httpbin.bar.global", ProbeStatus.Ok),
            R("a", "b", "api.shop.global", ProbeStatus.Dns),
            R("a", "b", "old.bar.global", ProbeStatus.Ok, ageSeconds: 600),
            R("c", "b", "httpbin.bar.global", ProbeStatus.Ok),
            R("a", "c", "web.shop.global", ProbeStatus.Tls),
        ], Now, Stale);

    [Fact]
    public void No_filter_keeps_everything_and_highlights_every_node()
    {
        var graph = Graph();
        var view = TopologyFilters.Apply(graph, TopologyFilter.None);
        Assert.Same(graph.Edges, view.Edges);
        Assert.Equal(["a", "b", "c"], view.Highlighted.Order());
    }

    [Fact]
    public void Cluster_filter_keeps_edges_touching_it_and_nodes_keep_their_positions()
    {
        var graph = Graph();
        var view = TopologyFilters.Apply(graph, new TopologyFilter(Cluster: "c"));
        Assert.Equal(["a->c", "c->b"], view.Edges.Select(e => e.Id).Order());
        Assert.Equal(graph.Nodes, view.Nodes);
        Assert.Equal(Graph().Nodes.Select(n => (n.X, n.Y)), view.Nodes.Select(n => (n.X, n.Y)));
    }

    [Fact]
    public void Namespace_status_and_search_filter_services_and_reaggregate_edges()
    {
        var graph = Graph();
        var ab = graph.Edges.Single(e => e.Id == "a->b");
        Assert.Equal(TopologyStates.Partial, ab.State);

        var bar = TopologyFilters.Apply(graph, new TopologyFilter(Namespace: "bar"));
        var barEdge = bar.Edges.Single(e => e.Id == "a->b");
        Assert.Equal(["httpbin.bar.global", "old.bar.global"], barEdge.Services.Select(s => s.Host));
        Assert.DoesNotContain(bar.Edges, e => e.Id == "a->c");

        var failing = TopologyFilters.Apply(graph, new TopologyFilter(Status: "failing"));
        Assert.Equal(["a->b", "a->c"], failing.Edges.Select(e => e.Id));
        Assert.All(failing.Edges, e => Assert.Equal(TopologyStates.Failing, e.State));

        var byClass = TopologyFilters.Apply(graph, new TopologyFilter(Status: "Tls"));
        Assert.Equal("a->c", Assert.Single(byClass.Edges).Id);

        var stale = TopologyFilters.Apply(graph, new TopologyFilter(Status: "stale"));
        Assert.Equal("old.bar.global", Assert.Single(Assert.Single(stale.Edges).Services).Host);

        var search = TopologyFilters.Apply(graph, new TopologyFilter(Search: "HTTPBIN"));
        Assert.Equal(["a->b", "c->b"], search.Edges.Select(e => e.Id));
        Assert.DoesNotContain("c", TopologyFilters.Apply(graph, new TopologyFilter(Search: "api.shop")).Highlighted);
        Assert.Equal("shop", TopologyFilters.NamespaceOf("api.shop.global"));
    }

    [Fact]
    public void Drill_down_rows_are_sorted_spread_and_stable_and_filters_hide_without_reordering()
    {
        var edge = Graph().Edges.Single(e => e.Id == "a->b");
        var view = ServiceDrillDown.Build(edge, TopologyFilter.None);
        Assert.Equal(["api.shop.global", "httpbin.bar.global", "old.bar.global"], view.Rows.Select(r => r.Host));
        Assert.Equal([0, 0.5, 1], view.Rows.Select(r => r.Y));
        Assert.Equal([TopologyStates.Failing, TopologyStates.Ok, TopologyStates.Stale], view.Rows.Select(r => r.State));
        Assert.Equal("curl: (6) Could not resolve host", view.Rows[0].Message);
        Assert.Equal(view, ServiceDrillDown.Build(edge, TopologyFilter.None) with { Rows = view.Rows });

        var filtered = ServiceDrillDown.Build(edge, new TopologyFilter(Namespace: "bar"));
        Assert.Equal(["httpbin.bar.global", "old.bar.global"], filtered.Rows.Select(r => r.Host));
        Assert.Equal(1, filtered.HiddenByFilter);
        Assert.Equal(0.5, ServiceDrillDown.Build(edge, new TopologyFilter(Search: "api")).Rows.Single().Y);
    }

    [Fact]
    public void History_chart_buckets_raw_results_and_rollups_without_double_counting()
    {
        var from = Now.AddHours(-4);
        HistoryPoint P(double minutesAgo, ProbeStatus s, double? ms) => new(Now.AddMinutes(-minutesAgo), s, ms);
        var raw = new[] { P(10, ProbeStatus.Ok, 10), P(20, ProbeStatus.Ok, 30), P(30, ProbeStatus.Dns, null), P(300, ProbeStatus.Ok, 99) };
        var rollups = new[]
        {
            new HistoryRollup(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), 60, 30, 30 * 40),
            new HistoryRollup(new DateTimeOffset(2026, 11, 26, 11, 0, 0, TimeSpan.Zero), 60, 60, 60 * 1000), // overlaps raw: skipped
        };
        var chart = HistoryChart.Build(raw, rollups, from, Now, 4);

        Assert.Equal(4, chart.Buckets.Count);
        Assert.Equal(63, chart.Samples);
        var nine = chart.Buckets[1];
        Assert.Equal((60, 30, 0.5, 40.0), (nine.Count, nine.OkCount, nine.Availability!.Value, nine.MeanLatencyMs!.Value));
        Assert.Null(chart.Buckets[0].Availability);
        var last = chart.Buckets[3];
        Assert.Equal((3, 2, 20.0), (last.Count, last.OkCount, last.MeanLatencyMs!.Value));
        Assert.Equal(40, chart.MaxLatencyMs);
        Assert.Equal(Math.Round(32.0 / 63, 4), chart.Availability);
    }

    [Fact]
    public void Empty_history_gives_an_empty_chart()
    {
        var chart = HistoryChart.Build([], [], Now.AddHours(-1), Now, 12);
        Assert.Equal(0, chart.Samples);
        Assert.All(chart.Buckets, b => Assert.Null(b.Availability));
    }
}
