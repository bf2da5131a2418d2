using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Topology;

/// <summary>
/// Spreads an hourly roll-up back into the results it counts (pure), for the history chart. The probes run once a cycle, so its
/// <c>Count</c> results lie evenly between its first and last; its change points split that span into stretches of one outcome, and
/// its OK and failed results are shared among the OK and failed stretches by length. A stretch between two change points is exact to
/// within a cycle; with no change point at hand (older than the raw retention), its OK share is spread evenly.
/// </summary>
public static class RollupSamples
{
    public static IReadOnlyList<(DateTimeOffset At, bool Ok)> Of(HistoryRollup rollup, IReadOnlyList<HistoryChange> changes)
    {
        if (rollup.Count <= 0 || rollup.FirstAt is not { } first)
        {
            return [];
        }

        var last = rollup.LastAt is { } l && l >= first ? l : first;
        var ok = Math.Clamp(rollup.OkCount, 0, rollup.Count);
        if (ok == rollup.Count || ok == 0)
        {
            return [.. Spread(first, last, rollup.Count, final: true).Select(t => (t, ok > 0))];
        }

        var stretches = Stretches(first, last, changes);
        var step = (double)(last - first).Ticks / (rollup.Count - 1);
        if (stretches is null || step <= 0)
        {
            return Even(first, last, rollup.Count, ok);
        }

        // How many cycles each stretch spans: its length in steps (the last one also holds the result at its end).
        var weights = stretches.Select((s, i) => ((s.End - s.Start).Ticks / step) + (i == stretches.Count - 1 ? 1 : 0)).ToList();
        var okIndexes = Enumerable.Range(0, stretches.Count).Where(i => stretches[i].Ok).ToList();
        var failIndexes = Enumerable.Range(0, stretches.Count).Where(i => !stretches[i].Ok).ToList();
        if (okIndexes.Sum(i => weights[i]) <= 0 || failIndexes.Sum(i => weights[i]) <= 0)
        {
            return Even(first, last, rollup.Count, ok);
        }

        var counts = new int[stretches.Count];
        Apportion(ok, okIndexes, weights, counts);
        Apportion(rollup.Count - ok, failIndexes, weights, counts);
        var samples = new List<(DateTimeOffset, bool)>(rollup.Count);
        for (var i = 0; i < stretches.Count; i++)
        {
            samples.AddRange(Spread(stretches[i].Start, stretches[i].End, counts[i], final: i == stretches.Count - 1).Select(t => (t, stretches[i].Ok)));
        }

        return samples;
    }

    /// <summary>The stretches of one outcome between <paramref name="first"/> and <paramref name="last"/>, or null when the change
    /// points cannot tell (none in the span, or the outcome before the first one unknown).</summary>
    private static List<(DateTimeOffset Start, DateTimeOffset End, bool Ok)>? Stretches(DateTimeOffset first, DateTimeOffset last, IReadOnlyList<HistoryChange> changes)
    {
        var inSpan = changes.Where(c => c.At >= first && c.At <= last).OrderBy(c => c.At).ToList();
        if (inSpan.Count == 0)
        {
            return null;
        }

        bool? startOk = inSpan[0].At == first ? inSpan[0].Status == ProbeStatus.Ok
            : inSpan[0].Previous is { } previous ? previous == ProbeStatus.Ok : null;
        if (startOk is null)
        {
            return null;
        }

        var list = new List<(DateTimeOffset Start, DateTimeOffset End, bool Ok)>();
        var start = first;
        var current = startOk.Value;
        foreach (var c in inSpan.Where(c => c.At > first))
        {
            list.Add((start, c.At, current));
            (start, current) = (c.At, c.Status == ProbeStatus.Ok);
        }

        list.Add((start, last, current));

        // Neighbouring stretches of the same outcome (a change between two failures) are one stretch here.
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End, bool Ok)>();
        foreach (var s in list)
        {
            if (merged.Count > 0 && merged[^1].Ok == s.Ok)
            {
                merged[^1] = (merged[^1].Start, s.End, s.Ok);
            }
            else
            {
                merged.Add(s);
            }
        }

        return merged;
    }

    /// <summary>Shares <paramref name="total"/> among <paramref name="indexes"/> by weight (largest remainder, so the parts add up).</summary>
    private static void Apportion(int total, List<int> indexes, List<double> weights, int[] counts)
    {
        var sum = indexes.Sum(i => weights[i]);
        var exact = indexes.Select(i => (Index: i, Share: total * weights[i] / sum)).ToList();
        foreach (var (i, share) in exact)
        {
            counts[i] = (int)Math.Floor(share);
        }

        var left = total - exact.Sum(e => counts[e.Index]);
        foreach (var (i, _) in exact.OrderByDescending(e => e.Share - Math.Floor(e.Share)).ThenBy(e => e.Index).Take(left))
        {
            counts[i]++;
        }
    }

    /// <summary><paramref name="n"/> times evenly from <paramref name="start"/>: up to <paramref name="end"/> inclusive for the final
    /// stretch (its last result was observed there), otherwise stopping one step short of it (the next stretch's first result).</summary>
    private static IEnumerable<DateTimeOffset> Spread(DateTimeOffset start, DateTimeOffset end, int n, bool final)
    {
        if (n <= 0)
        {
            yield break;
        }

        var steps = final ? n - 1 : n;
        var step = steps <= 0 ? 0 : (end - start).Ticks / steps;
        for (var k = 0; k < n; k++)
        {
            yield return start.AddTicks(step * k);
        }
    }

    /// <summary>No change points to place them: <paramref name="ok"/> of <paramref name="count"/> results OK, evenly interleaved.</summary>
    private static IReadOnlyList<(DateTimeOffset At, bool Ok)> Even(DateTimeOffset first, DateTimeOffset last, int count, int ok) =>
        [.. Spread(first, last, count, final: true).Select((t, k) => (t, ((long)(k + 1) * ok / count) > ((long)k * ok / count)))];
}
