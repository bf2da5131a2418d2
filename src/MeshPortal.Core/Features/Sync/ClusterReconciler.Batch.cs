using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Sync;

/// <summary>Desired-state planners from every source, or why one failed to load (then nothing may be changed).</summary>
internal sealed record LoadedSources(IReadOnlyList<(string Name, IClusterPlanner Planner)> Planners, string? Error);

public sealed partial class ClusterReconciler
{
    /// <summary>
    /// Re-checks many clusters (the recurring sync-all job): the desired-state sources are loaded ONCE for the batch and the
    /// clusters are pushed in parallel (at most <see cref="SyncOptions.ClusterConcurrency"/> at a time), each under its own lock,
    /// so a slow or failing cluster only holds its own slot. A cluster that another push touched after the batch read its
    /// sources reloads them itself, so a batch never writes state older than what is already in the cluster. Pushes by other
    /// replicas (PostgreSQL) are seen through the cluster's newest recorded run, which every push writes before it unlocks.
    /// </summary>
    public async Task<IReadOnlyList<SyncResult>> ReconcileManyAsync(IReadOnlyCollection<int> clusterIds, string trigger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        var ids = clusterIds.Distinct().ToList();
        var generations = ids.ToDictionary(id => id, locks.Generation);
        LoadedSources shared;
        Dictionary<int, long>? lastRuns = null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (locks.SpansProcesses)
            {
                lastRuns = await db.SyncRuns.Where(r => ids.Contains(r.ClusterId)).GroupBy(r => r.ClusterId)
                    .Select(g => new { g.Key, Last = g.Max(r => r.Id) }).ToDictionaryAsync(x => x.Key, x => (long)x.Last, ct);
            }

            shared = await LoadSourcesAsync(db, ct);
        }

        var results = new SyncResult[ids.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ClusterConcurrency), CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), parallel, async (i, token) =>
        {
            var id = ids[i];
            await using var held = await locks.AcquireAsync(id, token);
            await using var db = await dbFactory.CreateDbContextAsync(token);
            var untouched = locks.Generation(id) == generations[id] + 1
                && (lastRuns is null || await LastRunIdAsync(db, id, token) == lastRuns.GetValueOrDefault(id));
            results[i] = await ReconcileHeldAsync(db, id, trigger, untouched ? () => Task.FromResult(shared) : () => LoadSourcesAsync(db, token), token);
        });
        return results;
    }

    private static async Task<long> LastRunIdAsync(MeshPortalDbContext db, int clusterId, CancellationToken ct) =>
        await db.SyncRuns.Where(r => r.ClusterId == clusterId).MaxAsync(r => (long?)r.Id, ct) ?? 0;
}
