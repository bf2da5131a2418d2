using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Topology;

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

        // This runs on every refresh of every open page, at up to (clusters − 1)² edges and 200,000 results, so the inner loops
        // hash no cluster name and sort no struct: clusters are numbered in name order (an edge's number, source × count +
        // target, sorts the edges by name); a result finds its clusters by id (an int lookup) and is kept only when the names
        // agree (one reference or ordinal compare), else by name as before. Hosts are ranked once; the kept results are then put
        // in (host, port) order by a counting sort over the host ranks and written straight into ONE array of link structs,
        // where each edge views its slice (no object per link for the collector to trace and promote).
        var count = ordered.Count;
        var byName = new Dictionary<string, int>(count, StringComparer.Ordinal);
        var byId = new Dictionary<int, int>(count);
        for (var i = 0; i < count; i++)
        {
            byName.TryAdd(ordered[i].Name, i);
            byId.TryAdd(ordered[i].Id, i);
        }

        var firstOfName = new int[count]; // a duplicated name resolves to its first cluster, as the lookup by name does
        for (var i = 0; i < count; i++)
        {
            firstOfName[i] = byName[ordered[i].Name];
        }

        var edgeOf = new int[results.Count];
        var hostOf = new int[results.Count];
        var hostIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var edgeNumbers = new Dictionary<long, int>();
        var edgeKeys = new List<long>();
        var sizes = new List<int>();
        var lastPort = new List<int>();
        var portsUnordered = new List<bool>();
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var source = IndexOf(r.SourceClusterId, r.Source, ordered, byId, byName, firstOfName);
            var target = source < 0 ? -1 : IndexOf(r.TargetClusterId, r.Target, ordered, byId, byName, firstOfName);
            if (target < 0)
            {
                edgeOf[i] = -1;
                continue;
            }

            var key = ((long)source * count) + target;
            if (!edgeNumbers.TryGetValue(key, out var edge))
            {
                edge = edgeKeys.Count;
                edgeNumbers[key] = edge;
                edgeKeys.Add(key);
                sizes.Add(0);
            }

            edgeOf[i] = edge;
            sizes[edge]++;
            if (!hostIds.TryGetValue(r.Host, out var host))
            {
                host = hostIds.Count;
                hostIds[r.Host] = host;
                lastPort.Add(r.Port);
                portsUnordered.Add(false);
            }
            else if ((uint)r.Port < (uint)lastPort[host])
            {
                portsUnordered[host] = true; // this host's results need a sort by port (the order of the key below)
            }
            else
            {
                lastPort[host] = r.Port;
            }

            hostOf[i] = host;
        }

        // Each distinct host is compared once here; the results then sort by an integer rank.
        var hosts = new string[hostIds.Count];
        foreach (var (host, id) in hostIds)
        {
            hosts[id] = host;
        }

        var hostOrder = new int[hosts.Length];
        for (var h = 0; h < hostOrder.Length; h++)
        {
            hostOrder[h] = h;
        }

        Array.Sort(hosts, hostOrder, StringComparer.Ordinal);
        var hostRank = new int[hosts.Length];
        for (var rank = 0; rank < hostOrder.Length; rank++)
        {
            hostRank[hostOrder[rank]] = rank;
        }

        var sorted = ByHostThenPort(results, edgeOf, hostOf, hostRank, portsUnordered);

        var keys = edgeKeys.ToArray();
        var order = new int[keys.Length];
        for (var e = 0; e < order.Length; e++)
        {
            order[e] = e;
        }

        Array.Sort(keys, order);
        var starts = new int[keys.Length];
        var next = new int[keys.Length];
        var total = 0;
        foreach (var e in order)
        {
            starts[e] = next[e] = total;
            total += sizes[e];
        }

        // Results come in (host, port) order, so each edge's slice fills in that order too.
        var links = new TopologyServiceLink[total];
        foreach (var i in sorted)
        {
            links[next[edgeOf[i]]++] = Link(results[i], now, staleAfter);
        }

        var edges = new List<TopologyEdge>(keys.Length);
        for (var k = 0; k < keys.Length; k++)
        {
            var e = order[k];
            edges.Add(Aggregate(ordered[(int)(keys[k] / count)].Name, ordered[(int)(keys[k] % count)].Name,
                new ArraySegment<TopologyServiceLink>(links, starts[e], sizes[e]), now));
        }

        return new TopologyGraph(nodes, edges, now);
    }

    /// <summary>The cluster a result names: by id when the id's cluster has that name, else by name; -1 when unknown.</summary>
    private static int IndexOf(int id, string name, List<TopologyCluster> ordered, Dictionary<int, int> byId, Dictionary<string, int> byName, int[] firstOfName) =>
        byId.TryGetValue(id, out var i) && string.Equals(ordered[i].Name, name, StringComparison.Ordinal) ? firstOfName[i]
        : byName.TryGetValue(name, out var j) ? j : -1;

    /// <summary>
    /// The indexes of the kept results (<paramref name="edgeOf"/> ≥ 0) by host rank, then port: a counting sort over the
    /// ranks (which keeps result order), then the run of each host whose ports came out of order (<paramref name="portsUnordered"/>,
    /// by host id) sorted by port, keeping result order for equal ports.
    /// </summary>
    private static int[] ByHostThenPort(IReadOnlyList<ProbeResultView> results, int[] edgeOf, int[] hostOf, int[] hostRank, List<bool> portsUnordered)
    {
        var runStart = new int[hostRank.Length + 1];
        var kept = 0;
        for (var i = 0; i < edgeOf.Length; i++)
        {
            if (edgeOf[i] >= 0)
            {
                runStart[hostRank[hostOf[i]] + 1]++;
                kept++;
            }
        }

        for (var h = 0; h < hostRank.Length; h++)
        {
            runStart[h + 1] += runStart[h];
        }

        var sorted = new int[kept];
        var fill = runStart[..^1];
        for (var i = 0; i < edgeOf.Length; i++)
        {
            if (edgeOf[i] >= 0)
            {
                sorted[fill[hostRank[hostOf[i]]]++] = i;
            }
        }

        long[]? portKeys = null;
        for (var host = 0; host < hostRank.Length; host++)
        {
            if (portsUnordered[host])
            {
                int from = runStart[hostRank[host]], to = runStart[hostRank[host] + 1];
                // (port, result index) as one key: a plain sort of longs that keeps result order for equal ports.
                portKeys ??= new long[kept];
                for (var k = from; k < to; k++)
                {
                    portKeys[k] = ((long)(uint)results[sorted[k]].Port << 32) | (uint)sorted[k];
                }

                Array.Sort(portKeys, from, to - from);
                for (var k = from; k < to; k++)
                {
                    sorted[k] = (int)(portKeys[k] & 0xFFFFFFFF);
                }
            }
        }

        return sorted;
    }

    public static TopologyEdge BuildEdge(string source, string target, IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter)
    {
        var links = new TopologyServiceLink[results.Count];
        for (var i = 0; i < links.Length; i++)
        {
            links[i] = Link(results[i], now, staleAfter);
        }

        Array.Sort(links, LinkOrder.Instance);
        return Aggregate(source, target, links, now);
    }

    private static TopologyServiceLink Link(ProbeResultView r, DateTimeOffset now, TimeSpan staleAfter) =>
        new(r.Host, r.Port, r.Status, now - r.ObservedAt > staleAfter, r.LatencyMs, r.ObservedAt, r.Message, r.Hint);

    /// <summary>Links in an edge: by host, then port.</summary>
    private sealed class LinkOrder : IComparer<TopologyServiceLink>
    {
        public static readonly LinkOrder Instance = new();

        public int Compare(TopologyServiceLink a, TopologyServiceLink b)
        {
            var c = string.CompareOrdinal(a.Host, b.Host);
            return c != 0 ? c : a.Port.CompareTo(b.Port);
        }
    }

    /// <summary>An edge over already-built service links (also used to re-aggregate what a filter leaves).</summary>
    public static TopologyEdge Aggregate(string source, string target, IReadOnlyList<TopologyServiceLink> links, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(links);
        return links switch
        {
            TopologyServiceLink[] array => Aggregate(source, target, array, array, now),
            ArraySegment<TopologyServiceLink> segment => Aggregate(source, target, segment, segment, now),
            _ => Aggregate(source, target, [.. links], links, now),
        };
    }

    /// <summary>One pass over a span: counts, worst class (the first of the highest severity, as MaxBy), OK latencies and the newest time.</summary>
    private static TopologyEdge Aggregate(string source, string target, ReadOnlySpan<TopologyServiceLink> span, IReadOnlyList<TopologyServiceLink> links, DateTimeOffset now)
    {
        int fresh = 0, ok = 0, failures = 0, timed = 0;
        ProbeStatus? worstStatus = null;
        var latencies = span.Length <= 256 ? stackalloc double[span.Length] : new double[span.Length];
        var last = DateTimeOffset.MinValue;
        foreach (ref readonly var l in span)
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
            if (worstStatus is not { } w || ProbeStatuses.Severity(l.Status) > ProbeStatuses.Severity(w))
            {
                worstStatus = l.Status;
            }

            if (l.Status == ProbeStatus.Ok)
            {
                ok++;
                if (l.LatencyMs is { } ms)
                {
                    latencies[timed++] = ms;
                }
            }
            else if (ProbeStatuses.IsFailure(l.Status))
            {
                failures++;
            }
        }

        var worst = worstStatus ?? ProbeStatus.Unknown;
        var count = span.Length;
        var state = failures > 0 ? (ok > 0 ? TopologyStates.Partial : TopologyStates.Failing)
            : ok > 0 ? (ok == count ? TopologyStates.Ok : TopologyStates.Partial)
            : fresh == 0 && count > 0 ? TopologyStates.Stale : TopologyStates.Unknown;
        return new TopologyEdge($"{source}->{target}", source, target, state, count, ok,
            count == 0 ? 0 : Math.Round((double)ok / count, 3), worst,
            Median(latencies[..timed]), count == 0 ? now : last, links);
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

    public static double? Median(IEnumerable<double> values) => Median([.. values]);

    /// <summary>The median of the values (sorted in place).</summary>
    public static double? Median(Span<double> sorted)
    {
        sorted.Sort();
        if (sorted.Length == 0)
        {
            return null;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : Math.Round((sorted[mid - 1] + sorted[mid]) / 2, 1);
    }
}
