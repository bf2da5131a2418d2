using MeshPortal.Core.Probes;

namespace MeshPortal.Core.Topology;

/// <summary>
/// Builds the default (cluster-level) topology view model from clusters and latest probe results (pure). Results older than
/// <c>staleAfter</c> count as stale: an edge whose results are all stale is grey "stale", never green.
/// </summary>
public static class TopologyBuilder
{
    public static TopologyGraph Build(IReadOnlyList<TopologyCluster> clusters, IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter)
    {
        var ordered = clusters.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var nodes = ordered.Select((c, i) =>
        {
            var (x, y) = CirclePosition(i, ordered.Count);
            var state = c.ApiReachable switch { true => TopologyStates.Ok, false => TopologyStates.Failing, null => TopologyStates.Unknown };
            return new TopologyNode(c.Name, "cluster", c.Name, state, c.IstioVersion, c.GatewayAddress, c.ApiReachable, c.Sync, c.TrustNotAfter, x, y);
        }).ToList();

        var known = ordered.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var edges = results
            .Where(r => known.Contains(r.Source) && known.Contains(r.Target))
            .GroupBy(r => (r.Source, r.Target))
            .OrderBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => g.Key.Target, StringComparer.Ordinal)
            .Select(g => BuildEdge(g.Key.Source, g.Key.Target, [.. g], now, staleAfter))
            .ToList();
        return new TopologyGraph(nodes, edges, now);
    }

    public static TopologyEdge BuildEdge(string source, string target, IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter)
    {
        var links = results
            .OrderBy(r => r.Host, StringComparer.Ordinal).ThenBy(r => r.Port)
            .Select(r => new TopologyServiceLink(r.Host, r.Port, r.Status, now - r.ObservedAt > staleAfter, r.LatencyMs, r.ObservedAt, r.Message, r.Hint))
            .ToList();
        return Aggregate(source, target, links, now);
    }

    /// <summary>An edge over already-built service links (also used to re-aggregate what a filter leaves).</summary>
    public static TopologyEdge Aggregate(string source, string target, IReadOnlyList<TopologyServiceLink> links, DateTimeOffset now)
    {
        var fresh = links.Where(l => !l.Stale).ToList();
        var ok = fresh.Count(l => l.Status == ProbeStatus.Ok);
        var failures = fresh.Count(l => ProbeStatuses.IsFailure(l.Status));
        var worst = fresh.Count == 0 ? ProbeStatus.Unknown : fresh.MaxBy(l => ProbeStatuses.Severity(l.Status))!.Status;
        var state = failures > 0 ? (ok > 0 ? TopologyStates.Partial : TopologyStates.Failing)
            : ok > 0 ? (ok == links.Count ? TopologyStates.Ok : TopologyStates.Partial)
            : fresh.Count == 0 && links.Count > 0 ? TopologyStates.Stale : TopologyStates.Unknown;
        return new TopologyEdge($"{source}->{target}", source, target, state, links.Count, ok,
            links.Count == 0 ? 0 : Math.Round((double)ok / links.Count, 3), worst,
            Median(fresh.Where(l => l.Status == ProbeStatus.Ok && l.LatencyMs is not null).Select(l => l.LatencyMs!.Value)),
            links.Count == 0 ? now : links.Max(l => l.ObservedAt), links);
    }

    public static (double X, double Y) CirclePosition(int index, int count)
    {
        if (count <= 1)
        {
            return (0.5, 0.5);
        }

        var angle = (2 * Math.PI * index / count) - (Math.PI / 2);
        return (Math.Round(0.5 + (0.38 * Math.Cos(angle)), 4), Math.Round(0.5 + (0.38 * Math.Sin(angle)), 4));
    }

    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : Math.Round((sorted[mid - 1] + sorted[mid]) / 2, 1);
    }
}
