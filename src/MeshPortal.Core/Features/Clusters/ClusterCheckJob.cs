using Hangfire;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>
/// Keeps every cluster's connection status fresh: the recurring job fans out one check job per cluster, so one slow or
/// unreachable cluster never delays the others. Jobs take names only and are safe to run twice; a check of a cluster that is
/// being checked already (in this process or by another replica) is skipped.
/// </summary>
public sealed class ClusterCheckJob(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    ClusterService clusters,
    ClusterLocks gate,
    IEnumerable<IAfterClusterCheck> afterCheck)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Check all clusters")]
    public async Task CheckAllAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Clusters.Select(c => c.Name).ToListAsync(ct);
        foreach (var name in names)
        {
            jobs.Enqueue<ClusterCheckJob>(j => j.CheckOneAsync(name, CancellationToken.None));
        }
    }

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Check cluster {0}")]
    public async Task CheckOneAsync(string clusterName, CancellationToken ct)
    {
        await using var entered = await gate.TryEnterAsync(ClusterLockScope.Check, ClusterLocks.KeyOf(clusterName), ct);
        if (entered is not null)
        {
            await clusters.RecheckAsync(clusterName, MeshPortal.Core.Platform.Audit.AuditContext.System, ct);
            foreach (var step in afterCheck)
            {
                await step.AfterCheckAsync(clusterName, ct);
            }
        }
    }
}
