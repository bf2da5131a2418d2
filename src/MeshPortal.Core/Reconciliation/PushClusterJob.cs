using Hangfire;
using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Reconciliation;

/// <summary>Thrown so that Hangfire retries a push that failed because of the cluster (the run is already recorded).</summary>
public sealed class ClusterPushFailedException(string message) : Exception(message);

/// <summary>
/// Hangfire jobs of the reconciler. A push takes the cluster id only: the job recomputes everything from the database,
/// so a lost or duplicated job loses nothing. The recurring <see cref="SyncAllAsync"/> fans out one push per cluster.
/// </summary>
public sealed class PushClusterJob(ClusterReconciler reconciler, IDbContextFactory<MeshPortalDbContext> dbFactory, IBackgroundJobClient jobs)
{
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = new[] { 5, 20, 60 }, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Push cluster {0} ({1})")]
    public async Task RunAsync(int clusterId, string trigger, CancellationToken ct)
    {
        var result = await reconciler.ReconcileAsync(clusterId, trigger, ct);
        if (result is { Succeeded: false, Retryable: true })
        {
            throw new ClusterPushFailedException(result.Error ?? "The cluster could not be pushed.");
        }
    }

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Sync all clusters")]
    public async Task SyncAllAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Clusters.Select(c => c.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            jobs.Enqueue<PushClusterJob>(j => j.RunAsync(id, "schedule", CancellationToken.None));
        }
    }
}
