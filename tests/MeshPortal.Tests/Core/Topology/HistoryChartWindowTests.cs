using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

/// <summary>The service chart starts at the link's first result, so a young link's history is not squeezed against the right edge.</summary>
[Trait("Speed", "Fast")]
public sealed class HistoryChartWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset From = Now.AddHours(-24);
    private static readonly TimeSpan MinSpan = TimeSpan.FromHours(1);

    private static HistoryPoint Ok(int minutesAgo) => new(Now.AddMinutes(-minutesAgo), ProbeStatus.Ok, 8);

    [Fact]
    public void A_link_probed_for_three_hours_is_drawn_over_three_hours_and_spreads_over_the_buckets()
    {
        var raw = new[] { Ok(180), Ok(120), Ok(60), Ok(1) };
        var start = HistoryChart.WindowStart(raw, [], From, Now, MinSpan);
        Assert.Equal(Now.AddMinutes(-180), start);
        var chart = HistoryChart.Build(raw, [], start, Now, 48);
        Assert.True(chart.Buckets.Count(b => b.Count > 0) == 4, "four results in four different buckets, not one");
        Assert.Equal((1.0, 8.0), (chart.Availability, chart.MaxLatencyMs));
    }

    [Fact]
    public void A_link_probed_for_ten_minutes_still_gets_an_hour_and_an_old_one_the_whole_day()
    {
        Assert.Equal(Now - MinSpan, HistoryChart.WindowStart([Ok(10)], [], From, Now, MinSpan));
        Assert.Equal(From, HistoryChart.WindowStart([Ok(60 * 30)], [], From, Now, MinSpan));
        Assert.Equal(From, HistoryChart.WindowStart([], [], From, Now, MinSpan));
        Assert.Equal(Now.AddHours(-5), HistoryChart.WindowStart([Ok(10)], [new HistoryRollup(Now.AddHours(-5), 60, 60, 480)], From, Now, MinSpan));
    }
}
