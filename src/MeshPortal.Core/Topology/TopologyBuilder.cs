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

        // One pass into per-(source, target) buckets, then each bucket sorted once: this runs on every refresh of every open page.
        var known = ordered.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var buckets = new Dictionary<(string Source, string Target), List<ProbeResultView>>();
        foreach (var r in results)
        {
            if (!known.Contains(r.Source) || !known.Contains(r.Target))
            {
                continue;
            }

            if (!buckets.TryGetValue((r.Source, r.Target), out var list))
            {
                list = [];
                buckets[(r.Source, r.Target)] = list;
            }

            list.Add(r);
        }

        var keys = buckets.Keys.ToArray();
        Array.Sort(keys, (a, b) =>
        {
            var c = string.CompareOrdinal(a.Source, b.Source);
            return c != 0 ? c : string.CompareOrdinal(a.Target, b.Target);
        });
        var edges = new List<TopologyEdge>(keys.Length);
        foreach (var key in keys)
        {
            edges.Add(BuildEdge(key.Source, key.Target, buckets[key], now, staleAfter));
        }

        return new TopologyGraph(nodes, edges, now);
    }

    public static TopologyEdge BuildEdge(string source, string target, IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter)
    {
        var links = new TopologyServiceLink[results.Count];
        for (var i = 0; i < links.Length; i++)
        {
            var r = results[i];
            links[i] = new TopologyServiceLink(r.Host, r.Port, r.Status, now - r.ObservedAt > staleAfter, r.LatencyMs, r.ObservedAt, r.Message, r.Hint);
        }

        Array.Sort(links, (a, b) =>
        {
            var c = string.CompareOrdinal(a.Host, b.Host);
            return c != 0 ? c : a.Port.CompareTo(b.Port);
        });
        return Aggregate(source, target, links, now);
    }

    /// <summary>An edge over already-built service links (also used to re-aggregate what a filter leaves).</summary>
    public static TopologyEdge Aggregate(string source, string target, IReadOnlyList<TopologyServiceLink> links, DateTimeOffset now)
    {
        // One pass: counts, worst class (the first of the highest severity, as MaxBy), OK latencies and the newest time.
        int fresh = 0, ok = 0, failures = 0;
        TopologyServiceLink? worstLink = null;
        var latencies = new List<double>();
        var last = DateTimeOffset.MinValue;
        foreach (var l in links)
        {
            if (l.ObservedAt > last)
            {
                last = l.ObservedAt;
            }

            if (l.Stale)
            {
                continue;
            }

            fresh++;
            if (worstLink is null || ProbeStatuses.Severity(l.Status) > ProbeStatuses.Severity(worstLink.Status))
            {
                worstLink = l;
            }

            if (l.Status == ProbeStatus.Ok)
            {
                ok++;
                if (l.LatencyMs is { } ms)
                {
                    latencies.Add(ms);
                }
            }
            else if (ProbeStatuses.IsFailure(l.Status))
            {
                failures++;
            }
        }

        var worst = worstLink?.Status ?? ProbeStatus.Unknown;
        var state = failures > 0 ? (ok > 0 ? TopologyStates.Partial : TopologyStates.Failing)
            : ok > 0 ? (ok == links.Count ? TopologyStates.Ok : TopologyStates.Partial)
            : fresh == 0 && links.Count > 0 ? TopologyStates.Stale : TopologyStates.Unknown;
        return new TopologyEdge($"{source}->{target}", source, target, state, links.Count, ok,
            links.Count == 0 ? 0 : Math.Round((double)ok / links.Count, 3), worst,
            Median(latencies), links.Count == 0 ? now : last, links);
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
        var sorted = values.ToArray();
        Array.Sort(sorted);
        if (sorted.Length == 0)
        {
            return null;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : Math.Round((sorted[mid - 1] + sorted[mid]) / 2, 1);
    }
}
