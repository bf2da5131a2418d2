using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// A push that finds an object in sync confirms it without writing its row: the run records when it confirmed the cluster's
/// Synced objects (<see cref="SyncRunEntity.ConfirmedAt"/>, carried forward by runs that confirm nothing). Readers that show
/// an object's last success apply it here, to the untracked rows they read.
/// </summary>
public static class SyncConfirmations
{
    /// <summary>Each cluster's last confirmation (from its newest run), for the clusters given; clusters never confirmed are absent.</summary>
    public static async Task<Dictionary<int, DateTimeOffset>> LatestAsync(MeshPortalDbContext db, IEnumerable<int> clusterIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = clusterIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var newest = db.Set<SyncRunEntity>().Where(x => ids.Contains(x.ClusterId)).GroupBy(x => x.ClusterId).Select(g => g.Max(x => x.Id));
        var rows = await db.SyncRuns.AsNoTracking().Where(r => newest.Contains(r.Id) && r.ConfirmedAt != null)
            .Select(r => new { r.ClusterId, r.ConfirmedAt }).ToListAsync(ct);
        return rows.ToDictionary(r => r.ClusterId, r => r.ConfirmedAt!.Value);
    }

    /// <summary>A Synced row was last attempted and last synced no earlier than its cluster's last confirmation (pure; rows must be untracked).</summary>
    public static void Apply(IEnumerable<ManagedObjectEntity> rows, IReadOnlyDictionary<int, DateTimeOffset> confirmed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(confirmed);
        foreach (var row in rows)
        {
            if (row.State == ObjectSyncState.Synced && confirmed.TryGetValue(row.ClusterId, out var at))
            {
                row.LastSyncedAt = Later(row.LastSyncedAt, at);
                row.LastAttemptAt = Later(row.LastAttemptAt, at);
            }
        }
    }

    /// <summary>Reads the confirmations of the rows' clusters and applies them (one query).</summary>
    public static async Task ApplyAsync(MeshPortalDbContext db, IReadOnlyCollection<ManagedObjectEntity> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > 0)
        {
            Apply(rows, await LatestAsync(db, rows.Select(r => r.ClusterId), ct));
        }
    }

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}
