using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Sync;

/// <summary>A managed object with the name of its cluster (for per-export, per-consumer views).</summary>
public sealed record ManagedObjectStatus(string ClusterName, ManagedObjectEntity Object);

/// <summary>Read-only queries over sync state for pages and the API. Never talks to a cluster.</summary>
public sealed class SyncStatusReader(IDbContextFactory<MeshPortalDbContext> dbFactory)
{
    /// <summary>Objects MeshPortal manages in one cluster, by kind, namespace and name.</summary>
    public async Task<List<ManagedObjectEntity>> ManagedObjectsAsync(int clusterId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ManagedObjects.AsNoTracking().Where(m => m.ClusterId == clusterId)
            .OrderBy(m => m.Kind).ThenBy(m => m.Namespace).ThenBy(m => m.Name).ToListAsync(ct);
        await SyncConfirmations.ApplyAsync(db, rows, ct);
        return rows;
    }

    /// <summary>Objects produced by one source in every cluster (e.g. "export/12": the export's state per consumer cluster).</summary>
    public async Task<List<ManagedObjectStatus>> ObjectsBySourceAsync(string source, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ManagedObjects.AsNoTracking().Where(m => m.Source == source)
            .Join(db.Clusters, m => m.ClusterId, c => c.Id, (m, c) => new { c.Name, Object = m })
            .ToListAsync(ct);
        await SyncConfirmations.ApplyAsync(db, [.. rows.Select(r => r.Object)], ct);
        return [.. rows.Select(r => new ManagedObjectStatus(r.Name, r.Object)).OrderBy(r => r.ClusterName, StringComparer.Ordinal).ThenBy(r => r.Object.Kind)];
    }

    /// <summary>Objects of several sources at once (e.g. every export on the exports page), keyed by source.</summary>
    public async Task<ILookup<string, ManagedObjectStatus>> ObjectsBySourcesAsync(IReadOnlyCollection<string> sources, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var list = sources.ToList();
        var rows = await db.ManagedObjects.AsNoTracking().Where(m => list.Contains(m.Source))
            .Join(db.Clusters, m => m.ClusterId, c => c.Id, (m, c) => new { c.Name, Object = m })
            .ToListAsync(ct);
        await SyncConfirmations.ApplyAsync(db, [.. rows.Select(r => r.Object)], ct);
        return rows.Select(r => new ManagedObjectStatus(r.Name, r.Object)).ToLookup(r => r.Object.Source);
    }

    /// <summary>The latest sync runs of one cluster, newest first.</summary>
    public async Task<List<SyncRunEntity>> LatestRunsAsync(int clusterId, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SyncRuns.AsNoTracking().Where(r => r.ClusterId == clusterId)
            .OrderByDescending(r => r.Id).Take(Math.Max(1, take)).ToListAsync(ct);
    }

    /// <summary>The latest sync run of every cluster that has one, keyed by cluster id (one query).</summary>
    public async Task<Dictionary<int, SyncRunEntity>> LatestRunPerClusterAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SyncRuns.AsNoTracking()
            .Where(r => r.Id == db.Set<SyncRunEntity>().Where(x => x.ClusterId == r.ClusterId).Max(x => x.Id))
            .ToDictionaryAsync(r => r.ClusterId, ct);
    }

    /// <summary>The planner notes of a cluster's latest run that got as far as planning (e.g. "foreign cacerts left alone").</summary>
    public async Task<IReadOnlyList<string>> LatestNotesAsync(int clusterId, CancellationToken ct)
    {
        var latest = await LatestRunsAsync(clusterId, 1, ct);
        return latest.Count == 0 ? [] : [.. Changes(latest[0]).Where(c => c.Action == "note").Select(c => c.Message ?? "")];
    }

    /// <summary>The changes and notes recorded for one run.</summary>
    public static IReadOnlyList<SyncChange> Changes(SyncRunEntity run) => SyncRecorder.ReadChanges(run.ChangesJson);
}
