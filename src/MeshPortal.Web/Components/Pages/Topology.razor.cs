using System.Globalization;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

public partial class Topology
{
    private const double W = 1000;
    private const double H = 640;
    private const double R = 40;

    /// <summary>Above this many clusters nodes shrink to dots with a name outside the ring, and details move to hover titles.</summary>
    private const int CompactAbove = 16;

    private bool Compact => graph?.Nodes.Count > CompactAbove;

    private double Radius => Compact ? Math.Clamp(700.0 / graph!.Nodes.Count, 4, 16) : R;

    private static readonly (string State, string Label)[] Legend =
    [
        (TopologyStates.Ok, "OK"), (TopologyStates.Partial, "partial"), (TopologyStates.Failing, "failing"), (TopologyStates.Unknown, "unknown"), (TopologyStates.Stale, "stale"),
    ];

    private TopologyGraph? graph;

    /// <summary>Root causes per cluster (gateway down, API down, DNS) from the same grouping as the Overview and the wall screen.</summary>
    private MeshHealth? health;

    /// <summary>Network groups and east-west gateways (null until loaded); drawn when some network is known and the graph is not compact.</summary>
    private NetworkTopologyView? networks;
    private const double GatewayR = 16;
    private string? selected;
    private string? selectedService;
    private TopologyFilter filter = TopologyFilter.None;
    private HistoryChartView? chart;
    private IReadOnlyList<HistoryPoint> recent = [];

    /// <summary>How far back the service chart looks, and its number of buckets.</summary>
    private static readonly TimeSpan ChartWindow = TimeSpan.FromHours(24);
    private const int ChartBuckets = 48;

    [Inject] public required TopologyQueries Queries { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private FilteredTopology? View => graph is null ? null : TopologyFilters.Apply(graph, filter);
    private TopologyEdge? SelectedEdge => graph?.Edges.FirstOrDefault(e => e.Id == selected);
    private TopologyNode? SelectedNode => graph?.Nodes.FirstOrDefault(n => n.Id == selected);
    private ServiceDrillDownView? Drill => SelectedEdge is { } e ? ServiceDrillDown.Build(e, filter) : null;
    private ServiceRow? SelectedRow => selectedService is null ? null : Drill?.Rows.FirstOrDefault(r => r.Key == selectedService);

    protected override async Task ReloadAsync()
    {
        var (clusters, results) = await Queries.SnapshotAsync(CancellationToken.None);
        var now = Clock.GetUtcNow();
        graph = TopologyBuilder.Build(clusters, results, now, Queries.StaleAfter);
        health = MeshHealthBuilder.Build(new MeshHealthInput(clusters, results, [], [], 0, now, Queries.StaleAfter));
        networks = NetworkTopologyBuilder.Build(graph, await Queries.NetworksAsync(CancellationToken.None));
        if (Grouped)
        {
            // Lay the clusters out in their network's column instead of the ring.
            graph = graph with { Nodes = [.. graph.Nodes.Select(n => networks.Positions.TryGetValue(n.Id, out var p) ? n with { X = p.X, Y = p.Y } : n)] };
        }

        await LoadHistoryAsync();
    }

    private void Select(string id)
    {
        selected = selected == id ? null : id;
        selectedService = null;
        chart = null;
    }

    private bool Grouped => networks is { HasNetworks: true } && !Compact;

    private GatewayNode? SelectedGateway => Grouped ? networks!.Gateway(selected ?? "") : null;

    private EdgeRoute? RouteOf(TopologyEdge e) => Grouped ? networks!.Routes.GetValueOrDefault(e.Id) : null;

    /// <summary>
    /// The node's likely cause (derived from its links), else null. When the cluster's own east-west gateway explains its failing
    /// inbound links, the gateway node carries the cause and the cluster is not blamed a second time.
    /// </summary>
    private string? CauseOf(TopologyNode n) =>
        health?.CauseOf(n.Id) is { } cause && !(cause == "gateway unreachable" && Grouped && networks!.Gateway(NetworkTopologyBuilder.GatewayId(n.Id))?.Cause is not null)
            ? cause : null;

    /// <summary>A node with a derived cause is red whatever its API check says (a cluster whose gateway is down is not green).</summary>
    private string NodeState(TopologyNode n) => CauseOf(n) is not null ? TopologyStates.Failing : n.State;

    private string NodeBadge(TopologyNode n) => CauseOf(n) ?? $"{(n.ApiReachable switch { true => "API up", false => "API down", null => "API not checked" })} · sync {SyncText(n.Sync)}";

    /// <summary>"None" is the query's word for "no managed objects": say what it means.</summary>
    private static string SyncText(string sync) => sync == "None" ? "nothing to push" : sync;

    private string FilterText() => string.Join(", ", new[]
    {
        string.IsNullOrWhiteSpace(filter.Cluster) ? null : $"cluster “{filter.Cluster}”",
        string.IsNullOrWhiteSpace(filter.Namespace) ? null : $"namespace “{filter.Namespace}”",
        string.IsNullOrWhiteSpace(filter.Status) ? null : $"status “{filter.Status}”",
        string.IsNullOrWhiteSpace(filter.Search) ? null : $"“{filter.Search}”",
    }.Where(x => x is not null));

    /// <summary>Accessible name: the node's visible text in reading order (axe: label-content-name-mismatch).</summary>
    private string NodeName(TopologyNode n) => Compact ? n.Label : $"{(n.IstioVersion is { } v ? $"Istio {v}" : "Istio version unknown")} {n.Label} {NodeBadge(n)}";

    private static string GatewayLinks(GatewayNode g) => g.FailingLinks == 1 ? "1 link fails" : $"{g.FailingLinks} links fail";

    /// <summary>Accessible name: starts with the visible text ("east-west", "down · 1 link fails"), then what the title adds.</summary>
    private static string GatewayName(GatewayNode g) =>
        $"east-west{(g.Cause is null ? "" : $" down · {GatewayLinks(g)}")} gateway of {g.Cluster} on {g.Network ?? "an unknown network"} {ProbePresentation.StateLabel(g.State)}";

    private void OnKey(Microsoft.AspNetCore.Components.Web.KeyboardEventArgs e, string id)
    {
        if (e.Key is "Enter" or " ")
        {
            Select(id);
        }
    }

    private static string KeyOf(TopologyServiceLink s) => $"{s.Host}:{s.Port}";

    private void SetFilter(TopologyFilter next) => filter = next;

    private async Task SelectService(string key)
    {
        selectedService = selectedService == key ? null : key;
        await LoadHistoryAsync();
    }

    private async Task LoadHistoryAsync()
    {
        if (SelectedEdge is not { } edge || SelectedRow is not { } row)
        {
            chart = null;
            recent = [];
            return;
        }

        var now = Clock.GetUtcNow();
        var from = now - ChartWindow;
        var history = await Queries.HistoryAsync(edge.Source, row.Host, row.Port, from, CancellationToken.None);
        chart = HistoryChart.Build(history, HistoryChart.WindowStart(history, from, now, TimeSpan.FromHours(1)), now, ChartBuckets);
        recent = HistoryChart.LastChanges(history, 10);
    }

    /// <summary>Unit-square layout → SVG space, leaving room for the labels under the bottom nodes.</summary>
    private static double Px(double x) => x * W;

    private static double Py(double y) => 30 + (y * (H - 100));

    /// <summary>Labels sit outside the circle layout (above nodes in the upper half), so edges to the centre never cross them.</summary>
    private static double NameY(TopologyNode n) => n.Y < 0.45 ? Py(n.Y) - R - 26 : Py(n.Y) + R + 22;

    /// <summary>Compact labels sit radially outside the ring.</summary>
    private double LabelX(TopologyNode n) => Px(0.5 + ((n.X - 0.5) * 1.0)) + ((n.X - 0.5) / 0.38 * (Radius + 6));

    private double LabelY(TopologyNode n) => Py(n.Y) + ((n.Y - 0.5) / 0.38 * (Radius + 6)) + 4;

    private static double BadgeY(TopologyNode n) => n.Y < 0.45 ? Py(n.Y) - R - 8 : Py(n.Y) + R + 42;

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string EdgeLabel(TopologyEdge e) =>
        $"{e.OkCount}/{e.Total}" + (e.P50LatencyMs is { } p ? $" · {p:0} ms" : "");

    private static string LinkSummary(IEnumerable<TopologyEdge> edges)
    {
        var list = edges.ToList();
        return list.Count == 0 ? "—" : $"{list.Sum(e => e.OkCount)}/{list.Sum(e => e.Total)} OK";
    }

    /// <summary>Line between the two circles' rims, shifted sideways so that A→B and B→A do not overlap.</summary>
    private (double X1, double Y1, double X2, double Y2, double Mx, double My) Geometry(TopologyEdge edge)
    {
        var s = graph!.Nodes.First(n => n.Id == edge.Source);
        var t = graph.Nodes.First(n => n.Id == edge.Target);
        double sx = Px(s.X), sy = Py(s.Y), tx = Px(t.X), ty = Py(t.Y);
        var targetR = Radius;
        if (RouteOf(edge)?.Via is { } via && networks!.Gateway(via) is { } gw)
        {
            // A failure the target's east-west gateway explains ends at that gateway.
            (tx, ty, targetR) = (Px(gw.X), Py(gw.Y), GatewayR);
        }

        var dx = tx - sx;
        var dy = ty - sy;
        var len = Math.Max(1, Math.Sqrt((dx * dx) + (dy * dy)));
        double ux = dx / len, uy = dy / len;
        double ox = -uy * 10, oy = ux * 10;
        var r = Radius;
        if (Compact)
        {
            ox /= 5;
            oy /= 5;
        }

        var x1 = sx + (ux * (r + 4)) + ox;
        var y1 = sy + (uy * (r + 4)) + oy;
        var x2 = tx - (ux * (targetR + 6)) + ox;
        var y2 = ty - (uy * (targetR + 6)) + oy;
        return (x1, y1, x2, y2, ((x1 + x2) / 2) + (ox * 1.8), ((y1 + y2) / 2) + (oy * 1.8));
    }
}
