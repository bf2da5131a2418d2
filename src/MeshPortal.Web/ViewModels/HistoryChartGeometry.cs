using System.Globalization;
using System.Text;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Web.ViewModels;

/// <summary>
/// The SVG geometry of a link's latency/availability chart (the Topology drill-down): Core buckets the history
/// (<see cref="HistoryChart"/>), this turns the buckets into coordinates for a given drawing size. Pure.
/// </summary>
public static class HistoryChartGeometry
{
    /// <summary>
    /// The chart's title: "Last 24 h" for the whole window; "Last hour" when the history is younger than the one hour the chart
    /// always shows (its start is then not a result); otherwise since the first result, at <paramref name="offset"/>'s clock.
    /// </summary>
    public static string Title(this HistoryChartView? chart, TimeSpan offset) =>
        chart is null || chart.To - chart.From >= TimeSpan.FromHours(23) ? "Last 24 h"
        : chart.To - chart.From <= TimeSpan.FromHours(1) ? "Last hour"
        : $"Since {chart.From.ToOffset(offset).ToString("HH:mm", CultureInfo.InvariantCulture)} (first result)";

    /// <summary>The summary's availability: "100 % available over 1 result", "97.5 % available over 40 results".</summary>
    public static string AvailabilityText(this HistoryChartView chart) =>
        $"{(chart.Availability * 100).ToString("0.#", CultureInfo.InvariantCulture)} % available over {chart.Samples.ToString(CultureInfo.InvariantCulture)} {(chart.Samples == 1 ? "result" : "results")}";

    /// <summary>
    /// How far the first and last buckets' latency points sit inside the chart's left and right edges, so a point drawn there
    /// (radius <see cref="PointRadius"/>) shows whole: a lone result in the newest bucket sat on the right edge, cut in half.
    /// </summary>
    public const double Inset = 4;

    /// <summary>The radius the view draws a latency point with (within <see cref="Inset"/>).</summary>
    public const double PointRadius = 2.5;

    /// <summary>SVG path of the mean latency over <paramref name="width"/> × <paramref name="height"/> (gaps where a bucket has no latency).</summary>
    public static string LatencyPath(this HistoryChartView chart, double width, double height)
    {
        var sb = new StringBuilder();
        var pen = false;
        for (var i = 0; i < chart.Buckets.Count; i++)
        {
            if (chart.Buckets[i].MeanLatencyMs is not { } ms || chart.MaxLatencyMs <= 0)
            {
                pen = false;
                continue;
            }

            var y = height - (ms / chart.MaxLatencyMs * height);
            sb.Append(pen ? " L " : (sb.Length == 0 ? "M " : " M ")).Append(F(X(i, chart.Buckets.Count, width))).Append(' ').Append(F(y));
            pen = true;
        }

        return sb.ToString();
    }

    /// <summary>The mean-latency points (one per bucket with a latency), so a lone sample still shows.</summary>
    public static IReadOnlyList<(double X, double Y)> LatencyPoints(this HistoryChartView chart, double width, double height) =>
        [.. chart.Buckets.Select((b, i) => (b, i)).Where(t => t.b.MeanLatencyMs is not null && chart.MaxLatencyMs > 0)
            .Select(t => (Math.Round(X(t.i, chart.Buckets.Count, width), 1), Math.Round(height - (t.b.MeanLatencyMs!.Value / chart.MaxLatencyMs * height), 1)))];

    /// <summary>Availability bars: x, width, height (share OK × <paramref name="height"/>) and whether the bucket was all OK.</summary>
    public static IReadOnlyList<(double X, double Width, double Height, bool AllOk)> Bars(this HistoryChartView chart, double width, double height)
    {
        var w = chart.Buckets.Count == 0 ? 0 : width / chart.Buckets.Count;
        return [.. chart.Buckets.Select((b, i) => (b, i)).Where(t => t.b.Availability is not null)
            .Select(t => (Math.Round(t.i * w, 2), Math.Round(Math.Max(1, w - 1), 2), Math.Round(t.b.Availability!.Value * height, 2), t.b.OkCount == t.b.Count))];
    }

    /// <summary>
    /// The x of bucket <paramref name="index"/> of <paramref name="count"/>: the first at <see cref="Inset"/>, the last at
    /// <paramref name="width"/> − <see cref="Inset"/>, evenly between; a lone bucket (the whole window) in the middle.
    /// </summary>
    public static double X(int index, int count, double width) =>
        count <= 1 ? width / 2 : Inset + (index * (width - (2 * Inset)) / (count - 1));

    private static string F(double v) => Math.Round(v, 1).ToString(CultureInfo.InvariantCulture);
}
