using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

/// <summary>An hourly roll-up spread back into its results for the chart: one per cycle, OK or not as its change points say.</summary>
[Trait("Speed", "Fast")]
public sealed class RollupSamplesTests
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset M(int minute) => Hour.AddMinutes(minute);

    [Fact]
    public void A_steady_hour_is_one_result_per_cycle_between_its_first_and_last()
    {
        var samples = RollupSamples.Of(new HistoryRollup(Hour, 60, 60, 600, M(0), M(59)), []);
        Assert.Equal(Enumerable.Range(0, 60).Select(M), samples.Select(s => s.At));
        Assert.All(samples, s => Assert.True(s.Ok));
        Assert.All(RollupSamples.Of(new HistoryRollup(Hour, 12, 0, 0, M(48), M(59)), []), s => Assert.False(s.Ok));
    }

    [Fact]
    public void Change_points_place_the_failures_where_they_happened()
    {
        // OK until 09:20, Dns 09:20, Connect 09:35, OK again from 09:40: 40 OK and 20 failed results.
        HistoryChange[] changes =
        [
            new(M(20), ProbeStatus.Dns, ProbeStatus.Ok, null),
            new(M(35), ProbeStatus.Connect, ProbeStatus.Dns, null),
            new(M(40), ProbeStatus.Ok, ProbeStatus.Connect, 5),
        ];
        var samples = RollupSamples.Of(new HistoryRollup(Hour, 60, 40, 400, M(0), M(59)), changes);

        Assert.Equal(Enumerable.Range(0, 60).Select(M), samples.Select(s => s.At));
        Assert.Equal(Enumerable.Range(0, 60).Select(m => m is < 20 or >= 40), samples.Select(s => s.Ok));
    }

    [Fact]
    public void A_change_at_the_first_result_gives_the_outcome_before_the_next_one()
    {
        // The link's first result was a failure at 09:10; OK from 09:15 until 09:30.
        HistoryChange[] changes = [new(M(10), ProbeStatus.Dns, null, null), new(M(15), ProbeStatus.Ok, ProbeStatus.Dns, 4)];
        var samples = RollupSamples.Of(new HistoryRollup(Hour, 21, 16, 64, M(10), M(30)), changes);
        Assert.Equal(Enumerable.Range(10, 21).Select(M), samples.Select(s => s.At));
        Assert.Equal(Enumerable.Range(10, 21).Select(m => m >= 15), samples.Select(s => s.Ok));
    }

    [Fact]
    public void Without_change_points_the_ok_share_is_spread_evenly_and_the_counts_add_up()
    {
        var samples = RollupSamples.Of(new HistoryRollup(Hour, 60, 45, 450, M(0), M(59)), []);
        Assert.Equal((60, 45), (samples.Count, samples.Count(s => s.Ok)));
        Assert.Equal(15, samples.Take(20).Count(s => s.Ok));

        // Change points that contradict the counts (a failed hour the changes call OK) fall back to the same even spread.
        var odd = RollupSamples.Of(new HistoryRollup(Hour, 60, 45, 450, M(0), M(59)), [new(M(0), ProbeStatus.Ok, null, 1)]);
        Assert.Equal((60, 45), (odd.Count, odd.Count(s => s.Ok)));
    }

    [Fact]
    public void A_rollup_without_bounds_or_results_gives_nothing_to_spread()
    {
        Assert.Empty(RollupSamples.Of(new HistoryRollup(Hour, 60, 60, 600), []));
        Assert.Empty(RollupSamples.Of(new HistoryRollup(Hour, 0, 0, 0, M(0), M(0)), []));
        Assert.Equal([(M(7), true)], RollupSamples.Of(new HistoryRollup(Hour, 1, 1, 3, M(7), M(7)), []));
    }
}
