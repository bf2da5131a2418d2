using Hangfire;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Hangfire jobs of the probes: the recurring cycle fans out one job per consumer cluster (one exec each), so one slow or unreachable
/// cluster never delays the others, then trims the history. No automatic retries: the next cycle is the retry.
/// </summary>
public sealed class ProbeJob(IDbContextFactory<MeshPortalDbContext> dbFactory, IBackgroundJobClient jobs, ProbeRunner runner, ProbeRetention retention,
    CanaryService canary, ClusterLocks gate, Microsoft.Extensions.Logging.ILogger<ProbeJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Probe all clusters")]
    public async Task RunAllAsync(CancellationToken ct)
    {
        // Clusters registered since the canary was turned on get their canary export here (no-op when nothing is missing).
        try
        {
            await canary.EnsureExportsAsync(ct);
        }
        catch (Exception ex) when (ex is MeshPortal.Core.Features.Exports.VipRangeExhaustedException or DbUpdateException)
        {
            // The canary is a convenience: a full VIP range or a racing writer must not cost the cycle; the next one tries again.
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger, ex, "Canary exports could not be completed this cycle");
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // Only clusters that consume something get a job; results of clusters that no longer do are dropped here.
            var consumers = await db.Clusters
                .Where(c => db.Set<ExportEntity>().Any(e => e.ClusterId != c.Id && (e.AllConsumers || e.Consumers.Any(x => x.ClusterId == c.Id))))
                .Select(c => c.Id).ToListAsync(ct);
            await db.ProbeResults.Where(r => !consumers.Contains(r.SourceClusterId)).ExecuteDeleteAsync(ct);
            foreach (var id in consumers)
            {
                jobs.Enqueue<ProbeJob>(j => j.RunClusterAsync(id, CancellationToken.None));
            }
        }

        await retention.RunAsync(ct);
    }

    [AutomaticRetry(Attempts = 0)]
    [ClusterJobDisplayName("Probe from cluster {0}")]
    public async Task RunClusterAsync(int clusterId, CancellationToken ct)
    {
        // A cycle from this cluster that is still running (here or on another replica) makes this one redundant.
        await using var entered = await gate.TryEnterAsync(ClusterLockScope.Probe, clusterId, ct);
        if (entered is not null)
        {
            await runner.RunClusterAsync(clusterId, ct);
        }
    }

    /// <summary>"Probe now" for one export: every consumer cluster of it probes only that export's ports (one exec each).</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Probe export {0}")]
    public async Task RunExportAsync(int exportId, CancellationToken ct)
    {
        List<int> consumers;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            consumers = await db.Clusters
                .Where(c => db.Set<ExportEntity>().Any(e => e.Id == exportId && e.ClusterId != c.Id && (e.AllConsumers || e.Consumers.Any(x => x.ClusterId == c.Id))))
                .Select(c => c.Id).ToListAsync(ct);
        }

        await Task.WhenAll(consumers.Select(id => runner.RunClusterAsync(id, ct, exportId)));
    }
}
