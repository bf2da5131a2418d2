using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.Clusters;

/// <summary>The drill-down chart's SVG geometry (moved from Core's HistoryChartView to the Web view model, issue 12).</summary>
[Trait("Speed", "Fast")]
public sealed class HistoryChartGeometryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheLatencyLine_BreaksAtBucketsWithoutLatency_AndBarsScaleWithAvailability()
    {
        HistoryPoint P(double minutesAgo, ProbeStatus s, double? ms) => new(Now.AddMinutes(-minutesAgo), s, ms);
        var raw = new[] { P(10, ProbeStatus.Ok, 10), P(20, ProbeStatus.Ok, 30), P(30, ProbeStatus.Dns, null), P(300, ProbeStatus.Ok, 99) };
        var rollups = new[]
        {
            new HistoryRollup(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), 60, 30, 30 * 40),
            new HistoryRollup(new DateTimeOffset(2026, 11, 26, 11, 0, 0, TimeSpan.Zero), 60, 60, 60 * 1000),
        };
        var chart = HistoryChart.Build(raw, rollups, Now.AddHours(-4), Now, 4);

        Assert.Equal("M 34.7 0 M 96 50", chart.LatencyPath(100, 100)); // buckets 1 and 3 of 4, between the insets 4 and 96
        Assert.Equal([(34.7, 0), (96, 50)], chart.LatencyPoints(100, 100));
        var bars = chart.Bars(100, 10);
        Assert.Equal(2, bars.Count);
        Assert.Equal((25, 24, 5, false), bars[0]);
        Assert.False(bars[1].AllOk);
    }

    [Fact]
    public void ConsecutiveLatencies_AreJoinedIntoOneLine()
    {
        var chart = new HistoryChartView(Now.AddHours(-2), Now,
            [new ChartBucket(Now.AddHours(-2), 1, 1, 1, 20), new ChartBucket(Now.AddHours(-1), 2, 2, 1, 40)], 40, 1, 3);
        Assert.Equal("M 4 50 L 96 0", chart.LatencyPath(100, 100));
        Assert.Equal([(0, 49, 10, true), (50, 49, 10, true)], chart.Bars(100, 10));
    }

    [Theory]
    [InlineData(0)] // the oldest bucket: the left edge
    [InlineData(11)] // the newest: the right edge (CI screenshot 44-topology-service, "over 1 result", showed half a point)
    public void ALonePointAtEitherEdge_IsDrawnWhole(int bucket)
    {
        const double width = 340;
        var buckets = Enumerable.Range(0, 12).Select(i => i == bucket
            ? new ChartBucket(Now.AddMinutes(-60 + (5 * i)), 1, 1, 1, 12)
            : new ChartBucket(Now.AddMinutes(-60 + (5 * i)), 0, 0, null, null)).ToList();
        var chart = new HistoryChartView(Now.AddHours(-1), Now, buckets, 12, 1, 1);

        var (x, y) = Assert.Single(chart.LatencyPoints(width, 84));
        Assert.Equal(bucket == 0 ? HistoryChartGeometry.Inset : width - HistoryChartGeometry.Inset, x);
        Assert.Equal(0, y);
        Assert.InRange(x - HistoryChartGeometry.PointRadius, 0.5, width - 0.5);
        Assert.InRange(x + HistoryChartGeometry.PointRadius, 0.5, width - 0.5);
        Assert.Equal($"M {x.ToString(System.Globalization.CultureInfo.InvariantCulture)} 0", chart.LatencyPath(width, 84));
    }

    [Fact]
    public void ALoneBucket_IsDrawnInTheMiddle_AndEveryBucketBetweenTheInsets()
    {
        Assert.Equal(170, HistoryChartGeometry.X(0, 1, 340));
        Assert.Equal(HistoryChartGeometry.Inset, HistoryChartGeometry.X(0, 48, 340));
        Assert.Equal(340 - HistoryChartGeometry.Inset, HistoryChartGeometry.X(47, 48, 340));
        var xs = Enumerable.Range(0, 48).Select(i => HistoryChartGeometry.X(i, 48, 340)).ToList();
        Assert.Equal(xs.Order(), xs);
        Assert.All(xs.Zip(xs.Skip(1), (a, b) => b - a), d => Assert.Equal(332.0 / 47, d, 9));
    }

    [Fact]
    public void AnEmptyHistory_DrawsNothing()
    {
        var chart = HistoryChart.Build([], [], Now.AddHours(-1), Now, 12);
        Assert.Equal("", chart.LatencyPath(100, 50));
        Assert.Empty(chart.LatencyPoints(100, 50));
        Assert.Empty(chart.Bars(100, 10));
    }

    [Theory]
    [InlineData(1, 60, "Last hour")] // first result a minute ago: the chart shows its minimum hour, whose start is no result
    [InlineData(180, 180, "Since 09:00 (first result)")]
    [InlineData(24 * 60, 24 * 60, "Last 24 h")]
    public void TheTitle_NamesTheFirstResultOnlyWhenTheWindowStartsAtIt(int firstResultMinutesAgo, int windowMinutes, string expected)
    {
        var raw = new[] { new HistoryPoint(Now.AddMinutes(-firstResultMinutesAgo), ProbeStatus.Ok, 5) };
        var from = HistoryChart.WindowStart(raw, [], Now.AddHours(-24), Now, TimeSpan.FromHours(1));
        Assert.Equal(Now.AddMinutes(-windowMinutes), from);
        Assert.Equal(expected, HistoryChart.Build(raw, [], from, Now, 4).Title(TimeSpan.Zero));
        Assert.Equal("Last 24 h", ((HistoryChartView?)null).Title(TimeSpan.Zero));
    }

    [Fact]
    public void TheSummary_SaysResultForOneAndResultsForMore()
    {
        HistoryPoint P(double minutesAgo, ProbeStatus s) => new(Now.AddMinutes(-minutesAgo), s, s == ProbeStatus.Ok ? 5 : null);
        Assert.Equal("100 % available over 1 result", HistoryChart.Build([P(5, ProbeStatus.Ok)], [], Now.AddHours(-1), Now, 4).AvailabilityText());
        Assert.Equal("0 % available over 1 result", HistoryChart.Build([P(5, ProbeStatus.Dns)], [], Now.AddHours(-1), Now, 4).AvailabilityText());
        Assert.Equal("66.7 % available over 3 results",
            HistoryChart.Build([P(5, ProbeStatus.Ok), P(10, ProbeStatus.Dns), P(15, ProbeStatus.Ok)], [], Now.AddHours(-1), Now, 4).AvailabilityText());
    }
}
