using System.Globalization;
using System.Text;
using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Topology;

/// <summary>Topology filters: cluster (either end of an edge), namespace (of the exported host), link status, free-text search.</summary>
public sealed record TopologyFilter(string? Cluster = null, string? Namespace = null, string? Status = null, string? Search = null)
{
    public static readonly TopologyFilter None = new();

    public bool FiltersServices => !string.IsNullOrWhiteSpace(Namespace) || !string.IsNullOrWhiteSpace(Status) || !string.IsNullOrWhiteSpace(Search);

    public bool IsEmpty => string.IsNullOrWhiteSpace(Cluster) && !FiltersServices;
}

/// <summary>The filtered cluster view: every node keeps its place (the layout never moves); <see cref="Highlighted"/> are those still in view.</summary>
public sealed record FilteredTopology(IReadOnlyList<TopologyNode> Nodes, IReadOnlyList<TopologyEdge> Edges, IReadOnlySet<string> Highlighted);

/// <summary>One exported service of an edge in the drill-down: <see cref="Y"/> is its stable row position in the unit interval.</summary>
public sealed record ServiceRow(string Host, int Port, string Namespace, ProbeStatus Status, string State, bool Stale, double? LatencyMs,
    DateTimeOffset ObservedAt, string? Message, string? Hint, double Y)
{
    public string Key => $"{Host}:{Port}";
}

/// <summary>Drill-down of one cluster edge: consumer on the left, exporter on the right, one row (and two edge segments) per service.</summary>
public sealed record ServiceDrillDownView(string Source, string Target, string EdgeState, IReadOnlyList<ServiceRow> Rows, int HiddenByFilter);

public static class TopologyFilters
{
    /// <summary>The namespace of <c>svc.ns.global</c> (empty when the host has no second label).</summary>
    public static string NamespaceOf(string host)
    {
        var parts = host.Split('.');
        return parts.Length >= 2 ? parts[1] : "";
    }

    /// <summary>The colour state of one service link: ok, failing, stale or unknown.</summary>
    public static string LinkState(TopologyServiceLink link) =>
        link.Stale ? TopologyStates.Stale
        : link.Status == ProbeStatus.Ok ? TopologyStates.Ok
        : ProbeStatuses.IsFailure(link.Status) ? TopologyStates.Failing
        : TopologyStates.Unknown;

    public static bool Matches(TopologyServiceLink link, string source, string target, TopologyFilter filter)
    {
        if (!string.IsNullOrWhiteSpace(filter.Namespace) && !string.Equals(NamespaceOf(link.Host), filter.Namespace.Trim(), StringComparison.Ordinal))
        {
            return false;
        }

        if (!string.IsNullOrWhiteSpace(filter.Status) && !StatusMatches(link, filter.Status.Trim()))
        {
            return false;
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var q = filter.Search.Trim();
            return link.Host.Contains(q, StringComparison.OrdinalIgnoreCase) || source.Contains(q, StringComparison.OrdinalIgnoreCase)
                || target.Contains(q, StringComparison.OrdinalIgnoreCase) || (link.Message?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false);
        }

        return true;
    }

    /// <summary>Status filter: a colour state (ok, failing, stale, unknown) or a class name (Dns, Tls, ...).</summary>
    private static bool StatusMatches(TopologyServiceLink link, string status) =>
        string.Equals(LinkState(link), status, StringComparison.OrdinalIgnoreCase)
        || string.Equals(link.Status.ToString(), status, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Keeps the edges touching the chosen cluster and, inside each edge, the services that match; an edge is re-aggregated over
    /// what is left, and dropped when nothing is. Nodes are never removed or moved.
    /// </summary>
    public static FilteredTopology Apply(TopologyGraph graph, TopologyFilter filter)
    {
        if (filter.IsEmpty)
        {
            return new FilteredTopology(graph.Nodes, graph.Edges, graph.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal));
        }

        var cluster = string.IsNullOrWhiteSpace(filter.Cluster) ? null : filter.Cluster.Trim();
        var edges = new List<TopologyEdge>();
        foreach (var edge in graph.Edges)
        {
            if (cluster is not null && edge.Source != cluster && edge.Target != cluster)
            {
                continue;
            }

            if (!filter.FiltersServices)
            {
                edges.Add(edge);
                continue;
            }

            var kept = edge.Services.Where(s => Matches(s, edge.Source, edge.Target, filter)).ToList();
            if (kept.Count > 0)
            {
                edges.Add(kept.Count == edge.Services.Count ? edge : TopologyBuilder.Aggregate(edge.Source, edge.Target, kept, graph.GeneratedAt));
            }
        }

        var highlighted = edges.SelectMany(e => new[] { e.Source, e.Target }).ToHashSet(StringComparer.Ordinal);
        if (cluster is not null)
        {
            highlighted.Add(cluster);
        }

        return new FilteredTopology(graph.Nodes, edges, highlighted);
    }
}

public static class ServiceDrillDown
{
    /// <summary>Rows in host/port order (the same order every refresh), spread evenly; filters hide rows but never reorder the rest.</summary>
    public static ServiceDrillDownView Build(TopologyEdge edge, TopologyFilter filter)
    {
        var all = edge.Services.OrderBy(s => s.Host, StringComparer.Ordinal).ThenBy(s => s.Port).ToList();
        var kept = filter.FiltersServices ? all.Where(s => TopologyFilters.Matches(s, edge.Source, edge.Target, filter)).ToList() : all;
        var rows = kept.Select((s, i) => new ServiceRow(s.Host, s.Port, TopologyFilters.NamespaceOf(s.Host), s.Status, TopologyFilters.LinkState(s), s.Stale,
            s.LatencyMs, s.ObservedAt, s.Message, s.Hint, kept.Count == 1 ? 0.5 : Math.Round((double)i / (kept.Count - 1), 4))).ToList();
        return new ServiceDrillDownView(edge.Source, edge.Target, edge.State, rows, all.Count - kept.Count);
    }
}

/// <summary>One raw probe result of a link, for the history chart (a per-result row written before the store-on-change history).</summary>
public sealed record HistoryPoint(DateTimeOffset ObservedAt, ProbeStatus Status, double? LatencyMs);

/// <summary>A link's outcome changed to <see cref="Status"/> at <see cref="At"/> (from <see cref="Previous"/>; null: its first result).</summary>
public sealed record HistoryChange(DateTimeOffset At, ProbeStatus Status, ProbeStatus? Previous, double? LatencyMs);

/// <summary>
/// One hourly roll-up of a link, for the history chart. <see cref="FirstAt"/>/<see cref="LastAt"/> bound its results (null on
/// roll-ups written before they were kept: those are drawn at their hour's start, as before).
/// </summary>
public sealed record HistoryRollup(DateTimeOffset HourStart, int Count, int OkCount, double LatencySumMs, DateTimeOffset? FirstAt = null, DateTimeOffset? LastAt = null);

/// <summary>What the history of one link holds over a window: per-result rows (from before), change points and hourly roll-ups.</summary>
public sealed record LinkHistory(IReadOnlyList<HistoryPoint> Raw, IReadOnlyList<HistoryChange> Changes, IReadOnlyList<HistoryRollup> Rollups);

/// <summary>A time bucket of the chart: <see cref="Availability"/> is the share OK (null = no result in the bucket).</summary>
public sealed record ChartBucket(DateTimeOffset Start, int Count, int OkCount, double? Availability, double? MeanLatencyMs);

/// <summary>The latency/availability history of one service link, bucketed (drawn by the Web's <c>HistoryChartGeometry</c>).</summary>
public sealed record HistoryChartView(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ChartBucket> Buckets, double MaxLatencyMs, double Availability, int Samples);

public static class HistoryChart
{
    /// <summary>
    /// Where the chart starts: <paramref name="from"/>, or later when the link's history is younger (a link probed for ten minutes is
    /// drawn over its ten minutes, not squeezed into the last of 48 half-hour buckets), but never less than <paramref name="minSpan"/>.
    /// </summary>
    public static DateTimeOffset WindowStart(IReadOnlyList<HistoryPoint> raw, IReadOnlyList<HistoryRollup> rollups, DateTimeOffset from, DateTimeOffset to, TimeSpan minSpan)
    {
        DateTimeOffset? first = null;
        if (raw.Count > 0)
        {
            first = raw.Min(p => p.ObservedAt);
        }

        if (rollups.Count > 0)
        {
            var r = rollups.Min(x => x.FirstAt ?? x.HourStart);
            first = first is null || r < first ? r : first;
        }

        if (first is null || first <= from)
        {
            return from;
        }

        var start = first.Value < to - minSpan ? first.Value : to - minSpan;
        return start < from ? from : start;
    }

    /// <inheritdoc cref="WindowStart(IReadOnlyList{HistoryPoint}, IReadOnlyList{HistoryRollup}, DateTimeOffset, DateTimeOffset, TimeSpan)"/>
    public static DateTimeOffset WindowStart(LinkHistory history, DateTimeOffset from, DateTimeOffset to, TimeSpan minSpan) =>
        WindowStart(history.Raw, history.Rollups, from, to, minSpan);

    /// <summary>Buckets per-result rows and roll-ups without change points (history written before the store-on-change history).</summary>
    public static HistoryChartView Build(IReadOnlyList<HistoryPoint> raw, IReadOnlyList<HistoryRollup> rollups, DateTimeOffset from, DateTimeOffset to, int buckets) =>
        Build(new LinkHistory(raw, [], rollups), from, to, buckets);

    /// <summary>
    /// Buckets a link's history over [from, to). Per-result rows count one each. A roll-up with its bounds is spread back into the
    /// results it counts (<see cref="RollupSamples.Of"/>: one per cycle between its first and last, OK or not as its change points
    /// say, its mean latency on the OK ones); one without (written before) counts at its hour's start and is skipped when that hour
    /// also has per-result rows, so nothing counts twice.
    /// </summary>
    public static HistoryChartView Build(LinkHistory history, DateTimeOffset from, DateTimeOffset to, int buckets)
    {
        buckets = Math.Max(1, buckets);
        var span = (to - from).Ticks / buckets;
        var counts = new int[buckets];
        var oks = new int[buckets];
        var latencySum = new double[buckets];
        var latencyCount = new int[buckets];
        int Index(DateTimeOffset t) => span <= 0 ? 0 : (int)Math.Clamp((t - from).Ticks / span, 0, buckets - 1);

        var rawHours = new HashSet<DateTimeOffset>();
        foreach (var p in history.Raw.Where(p => p.ObservedAt >= from && p.ObservedAt < to))
        {
            var i = Index(p.ObservedAt);
            counts[i]++;
            rawHours.Add(new DateTimeOffset(p.ObservedAt.UtcDateTime.Year, p.ObservedAt.UtcDateTime.Month, p.ObservedAt.UtcDateTime.Day, p.ObservedAt.UtcDateTime.Hour, 0, 0, TimeSpan.Zero));
            if (p.Status == ProbeStatus.Ok)
            {
                oks[i]++;
                if (p.LatencyMs is { } ms)
                {
                    latencySum[i] += ms;
                    latencyCount[i]++;
                }
            }
        }

        foreach (var r in history.Rollups.Where(r => r.FirstAt is null && r.HourStart >= from && r.HourStart < to && !rawHours.Contains(r.HourStart)))
        {
            var i = Index(r.HourStart);
            counts[i] += r.Count;
            oks[i] += r.OkCount;
            if (r.OkCount > 0)
            {
                latencySum[i] += r.LatencySumMs;
                latencyCount[i] += r.OkCount;
            }
        }

        foreach (var r in history.Rollups.Where(r => r.FirstAt is not null))
        {
            var mean = r.OkCount > 0 ? r.LatencySumMs / r.OkCount : 0;
            foreach (var (at, ok) in RollupSamples.Of(r, history.Changes))
            {
                if (at < from || at >= to)
                {
                    continue;
                }

                var i = Index(at);
                counts[i]++;
                if (ok)
                {
                    oks[i]++;
                    latencySum[i] += mean;
                    latencyCount[i]++;
                }
            }
        }

        var list = Enumerable.Range(0, buckets).Select(i => new ChartBucket(from.AddTicks(span * i), counts[i], oks[i],
            counts[i] == 0 ? null : Math.Round((double)oks[i] / counts[i], 4),
            latencyCount[i] == 0 ? null : Math.Round(latencySum[i] / latencyCount[i], 1))).ToList();
        var total = counts.Sum();
        return new HistoryChartView(from, to, list, list.Max(b => b.MeanLatencyMs) ?? 0, total == 0 ? 0 : Math.Round((double)oks.Sum() / total, 4), total);
    }

    /// <summary>
    /// The link's last <paramref name="take"/> changes of outcome, newest first: change points, and per-result rows (from before)
    /// where their status differs from the one before.
    /// </summary>
    public static IReadOnlyList<HistoryPoint> LastChanges(LinkHistory history, int take)
    {
        var merged = history.Raw.Select(p => (p.ObservedAt, p.Status, p.LatencyMs, Change: false))
            .Concat(history.Changes.Select(c => (ObservedAt: c.At, c.Status, c.LatencyMs, Change: true)))
            .OrderBy(p => p.ObservedAt).ToList();
        var list = new List<HistoryPoint>();
        ProbeStatus? previous = null;
        foreach (var p in merged)
        {
            if (p.Change || p.Status != previous)
            {
                list.Add(new HistoryPoint(p.ObservedAt, p.Status, p.LatencyMs));
            }

            previous = p.Status;
        }

        return [.. list.TakeLast(Math.Max(0, take)).Reverse()];
    }
}
