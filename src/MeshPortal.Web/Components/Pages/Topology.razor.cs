using System.Globalization;
using MeshPortal.Core.Topology;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages;

public partial class Topology
{
    private const double W = 1000;
    private const double H = 640;
    private const double R = 40;

    private static readonly (string State, string Label)[] Legend =
    [
        (TopologyStates.Ok, "OK"), (TopologyStates.Partial, "partial"), (TopologyStates.Failing, "failing"), (TopologyStates.Unknown, "unknown"), (TopologyStates.Stale, "stale"),
    ];

    private TopologyGraph? graph;
    private string? selected;

    [Inject] public required TopologyQueries Queries { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private TopologyEdge? SelectedEdge => graph?.Edges.FirstOrDefault(e => e.Id == selected);
    private TopologyNode? SelectedNode => graph?.Nodes.FirstOrDefault(n => n.Id == selected);

    protected override async Task ReloadAsync() => graph = await Queries.GraphAsync(CancellationToken.None);

    private void Select(string id) => selected = selected == id ? null : id;

    /// <summary>Unit-square layout → SVG space, leaving room for the labels under the bottom nodes.</summary>
    private static double Px(double x) => x * W;

    private static double Py(double y) => 30 + (y * (H - 100));

    /// <summary>Labels sit outside the circle layout (above nodes in the upper half), so edges to the centre never cross them.</summary>
    private static double NameY(TopologyNode n) => n.Y < 0.45 ? Py(n.Y) - R - 26 : Py(n.Y) + R + 22;

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
        var dx = tx - sx;
        var dy = ty - sy;
        var len = Math.Max(1, Math.Sqrt((dx * dx) + (dy * dy)));
        double ux = dx / len, uy = dy / len;
        double ox = -uy * 10, oy = ux * 10;
        var x1 = sx + (ux * (R + 4)) + ox;
        var y1 = sy + (uy * (R + 4)) + oy;
        var x2 = tx - (ux * (R + 6)) + ox;
        var y2 = ty - (uy * (R + 6)) + oy;
        return (x1, y1, x2, y2, ((x1 + x2) / 2) + (ox * 1.8), ((y1 + y2) / 2) + (oy * 1.8));
    }
}
