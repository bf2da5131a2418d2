using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Topology;

/// <summary>Loads what the Reachability, Topology and wall screen pages show (a few queries, whatever the mesh size).</summary>
public sealed class TopologyQueries(IDbContextFactory<MeshPortalDbContext> dbFactory, IOptions<ProbeOptions> options, TimeProvider time)
{
    public TimeSpan StaleAfter => options.Value.StaleAfter;

    public async Task<IReadOnlyList<ProbeResultView>> LatestResultsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LatestAsync(db, ct);
    }

    /// <summary>
    /// One page of latest results in (source cluster, host, port) order, filtered and cut in the database: at most
    /// <see cref="ResultListQuery.Limit"/> rows after <see cref="ResultListQuery.After"/>; the position of the last one when more follow.
    /// </summary>
    public async Task<(IReadOnlyList<ProbeResultView> Items, ResultPosition? Next)> PageResultsAsync(ResultListQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Clusters.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var rows = from r in db.ProbeResults.AsNoTracking()
                   join c in db.Clusters on r.SourceClusterId equals c.Id
                   select new { Row = r, SourceName = c.Name };
        if (!string.IsNullOrEmpty(q.Source))
        {
            rows = rows.Where(x => x.SourceName == q.Source);
        }

        if (!string.IsNullOrEmpty(q.Target))
        {
            var target = names.Where(n => n.Value == q.Target).Select(n => (int?)n.Key).FirstOrDefault() ?? -1;
            rows = rows.Where(x => x.Row.TargetClusterId == target);
        }

        if (q.Status is { } status)
        {
            var name = status.ToString();
            rows = rows.Where(x => x.Row.Status == name);
        }

        if (!string.IsNullOrEmpty(q.Search))
        {
            rows = rows.Where(x => x.Row.Host.Contains(q.Search));
        }

        if (q.After is { } a)
        {
            rows = rows.Where(x => string.Compare(x.SourceName, a.Source) > 0
                || (x.SourceName == a.Source && (string.Compare(x.Row.Host, a.Host) > 0 || (x.Row.Host == a.Host && x.Row.Port > a.Port))));
        }

        var ordered = rows.OrderBy(x => x.SourceName).ThenBy(x => x.Row.Host).ThenBy(x => x.Row.Port).Select(x => x.Row);
        var page = await (q.Limit is { } limit ? ordered.Take(limit + 1) : ordered).ToListAsync(ct);
        var more = q.Limit is { } l && page.Count > l;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var views = page.Select(r => View(r, names)).ToList();
        return (views, more ? new ResultPosition(views[^1].Source, views[^1].Host, views[^1].Port) : null);
    }

    /// <summary>
    /// One numbered page of latest results for the Reachability page: the light columns of every result are read to filter, order and count
    /// (<see cref="ResultWindow"/>), then only the page's rows are read in full (messages and hints).
    /// </summary>
    public async Task<ResultWindowPage> WindowAsync(ResultWindowQuery q, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Clusters.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var rows = await db.ProbeResults.AsNoTracking()
            .Select(r => new { r.Id, r.SourceClusterId, r.TargetClusterId, r.ExportId, r.Host, r.Port, r.Status, r.ObservedAt })
            .ToListAsync(ct);
        var headers = rows.Select(r => new ResultHeader(r.Id, r.SourceClusterId, names.GetValueOrDefault(r.SourceClusterId) ?? "?", r.TargetClusterId,
            names.GetValueOrDefault(r.TargetClusterId) ?? "?", r.ExportId, r.Host, r.Port,
            Enum.TryParse<ProbeStatus>(r.Status, out var s) ? s : ProbeStatus.Unknown, r.ObservedAt)).ToList();
        var now = time.GetUtcNow();
        var (page, window, ok) = ResultWindow.Select(headers, q, now, StaleAfter);
        var ids = page.Select(p => p.Id).ToList();
        var full = ids.Count == 0 ? [] : (await db.ProbeResults.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(ct)).ToDictionary(r => r.Id);
        var items = page.Where(p => full.ContainsKey(p.Id)).Select(p => View(full[p.Id], names)).ToList();
        var fresh = q.FreshSince is { } since ? headers.Count(h => h.ObservedAt >= since) : 0;
        return new ResultWindowPage(items, window, headers.Count, ok, fresh, q.FreshSince is { } t && headers.Count > 0 && headers.All(h => h.ObservedAt >= t));
    }

    /// <summary>How each of <paramref name="exportIds"/>' links fare now (the Exports page's probe column); exports without results are absent.</summary>
    public async Task<IReadOnlyDictionary<int, ExportLinkHealth>> ExportHealthAsync(IReadOnlyCollection<int> exportIds, CancellationToken ct)
    {
        if (exportIds.Count == 0)
        {
            return new Dictionary<int, ExportLinkHealth>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = exportIds.ToList();
        var rows = await db.ProbeResults.AsNoTracking().Where(r => ids.Contains(r.ExportId))
            .Select(r => new { r.ExportId, r.Status, r.ObservedAt }).ToListAsync(ct);
        var now = time.GetUtcNow();
        return rows.GroupBy(r => r.ExportId).ToDictionary(g => g.Key,
            g => ExportLinkHealth.Of(g.Select(r => (Enum.TryParse<ProbeStatus>(r.Status, out var s) ? s : ProbeStatus.Unknown, r.ObservedAt)), now, StaleAfter));
    }

    public async Task<(IReadOnlyList<TopologyCluster> Clusters, IReadOnlyList<ProbeResultView> Results)> SnapshotAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = await db.Clusters.AsNoTracking()
            .Select(c => new { c.Id, c.Name, c.IstioVersion, c.GatewayAddress, c.LastCheckPassed, c.LastCheckedAt })
            .ToListAsync(ct);
        var sync = (await db.ManagedObjects.AsNoTracking().GroupBy(m => new { m.ClusterId, m.State }).Select(g => new { g.Key.ClusterId, g.Key.State }).ToListAsync(ct))
            .ToLookup(s => s.ClusterId, s => s.State);
        var trust = (await db.ClusterIntermediates.AsNoTracking().Where(i => i.State == IntermediateState.Active && i.NotAfter != null)
            .Select(i => new { i.ClusterId, i.NotAfter }).ToListAsync(ct))
            .GroupBy(i => i.ClusterId).ToDictionary(g => g.Key, g => g.Min(i => i.NotAfter));
        var views = clusters.Select(c => new TopologyCluster(c.Id, c.Name, c.IstioVersion, c.GatewayAddress, c.LastCheckPassed, c.LastCheckedAt,
            SyncOf(sync[c.Id]), trust.GetValueOrDefault(c.Id))).ToList();
        return (views, await LatestAsync(db, ct));
    }

    /// <summary>The graph with each node's network (the API's view).</summary>
    public async Task<TopologyGraph> GraphAsync(CancellationToken ct)
    {
        var (clusters, results) = await SnapshotAsync(ct);
        var graph = TopologyBuilder.Build(clusters, results, time.GetUtcNow(), StaleAfter);
        var networks = (await NetworksAsync(ct)).ToDictionary(n => n.Cluster, n => n.Network, StringComparer.Ordinal);
        return graph with { Nodes = [.. graph.Nodes.Select(n => n with { Network = networks.GetValueOrDefault(n.Id) })] };
    }

    /// <summary>Each cluster's network and east-west gateway, from the mesh facts its last check stored (else the registered network).</summary>
    public async Task<IReadOnlyList<ClusterNetwork>> NetworksAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Clusters.AsNoTracking().Select(c => new { c.Name, c.Network, c.MeshFactsJson }).ToListAsync(ct);
        return [.. rows.Select(r => ClusterNetwork.FromFactsJson(r.Name, r.Network, r.MeshFactsJson))];
    }

    /// <summary>
    /// The history of one link (source cluster, host, port) from <paramref name="from"/>: per-result rows written before the
    /// store-on-change history, change points and hourly roll-ups, each from the start of the hour of <paramref name="from"/> (the
    /// chart spreads that hour's roll-up back into its results and keeps those from <paramref name="from"/> on).
    /// </summary>
    public async Task<LinkHistory> HistoryAsync(string source, string host, int port, DateTimeOffset from, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sourceId = await db.Clusters.Where(c => c.Name == source).Select(c => (int?)c.Id).SingleOrDefaultAsync(ct);
        if (sourceId is null)
        {
            return new LinkHistory([], [], []);
        }

        var hour = ProbeRetention.HourOf(from);
        var rows = await db.ProbeHistory.AsNoTracking()
            .Where(h => h.SourceClusterId == sourceId && h.Host == host && h.Port == port && h.ObservedAt >= hour)
            .OrderBy(h => h.ObservedAt).Select(h => new { h.ObservedAt, h.Status, h.LatencyMs, h.IsChange, h.PreviousStatus }).ToListAsync(ct);
        var rollups = await db.ProbeRollups.AsNoTracking()
            .Where(r => r.SourceClusterId == sourceId && r.Host == host && r.Port == port && r.HourStart >= hour)
            .OrderBy(r => r.HourStart).Select(r => new HistoryRollup(r.HourStart, r.Count, r.OkCount, r.LatencySumMs, r.FirstAt, r.LastAt)).ToListAsync(ct);
        static ProbeStatus Parse(string s) => Enum.TryParse<ProbeStatus>(s, out var st) ? st : ProbeStatus.Unknown;
        return new LinkHistory(
            [.. rows.Where(h => !h.IsChange && h.ObservedAt >= from).Select(h => new HistoryPoint(h.ObservedAt, Parse(h.Status), h.LatencyMs))],
            [.. rows.Where(h => h.IsChange).Select(h => new HistoryChange(h.ObservedAt, Parse(h.Status), h.PreviousStatus is null ? null : Parse(h.PreviousStatus), h.LatencyMs))],
            [.. rollups.Where(r => r.FirstAt is not null || r.HourStart >= from)]);
    }

    private static string SyncOf(IEnumerable<ObjectSyncState> states)
    {
        var set = states.ToHashSet();
        return set.Contains(ObjectSyncState.Failed) ? "Failed" : set.Contains(ObjectSyncState.Pending) ? "Pending" : set.Count > 0 ? "Synced" : "None";
    }

    private static async Task<IReadOnlyList<ProbeResultView>> LatestAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var names = await db.Clusters.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var rows = await db.ProbeResults.AsNoTracking().ToListAsync(ct);
        return [.. rows
            .Select(r => View(r, names))
            .OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Host, StringComparer.Ordinal).ThenBy(r => r.Port)];
    }

    private static ProbeResultView View(ProbeResultEntity r, IReadOnlyDictionary<int, string> names) =>
        new(r.SourceClusterId, names.GetValueOrDefault(r.SourceClusterId) ?? "?", r.TargetClusterId,
            names.GetValueOrDefault(r.TargetClusterId) ?? "?", r.Host, r.Port,
            Enum.TryParse<ProbeStatus>(r.Status, out var s) ? s : ProbeStatus.Unknown, r.HttpStatus, r.LatencyMs, r.ObservedAt, r.Message, r.Hint);
}

/// <summary>A filter and page of latest results: by source and target cluster name, class, text in the host; after a position.</summary>
public sealed record ResultListQuery(int? Limit = null, ResultPosition? After = null, string? Source = null, string? Target = null,
    ProbeStatus? Status = null, string? Search = null)
{
    public const int MaxLimit = 5000;
}

/// <summary>A place in (source cluster, host, port) order.</summary>
public sealed record ResultPosition(string Source, string Host, int Port);
