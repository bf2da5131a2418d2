using Hangfire;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Sync;

/// <summary>Thrown so that Hangfire retries a push that failed because of the cluster (the run is already recorded).</summary>
public sealed class ClusterPushFailedException(string message) : Exception(message);

/// <summary>
/// Hangfire jobs of the reconciler. A push takes the cluster id only: the job recomputes everything from the database,
/// so a lost or duplicated job loses nothing. The recurring <see cref="SyncAllAsync"/> re-checks every cluster in one batch
/// (desired state loaded once) and hands clusters that failed retryably to their own push job.
/// </summary>
public sealed partial class PushClusterJob(
    ClusterReconciler reconciler,
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IBackgroundJobClient jobs,
    PushCoalescer coalescer,
    IEnumerable<IAfterPush> afterPush,
    Microsoft.Extensions.Logging.ILogger<PushClusterJob> logger)
{
    // After the last retry the job is deleted (expires) instead of staying Failed in /jobs forever: the failure is recorded
    // in the cluster's sync history, and the recurring sync pushes the cluster again (issue 17, finding 16).
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = new[] { 5, 20, 60 }, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [ClusterJobDisplayName("Push cluster {0} ({1})")]
    public async Task RunAsync(int clusterId, string trigger, CancellationToken ct)
    {
        if (!trigger.StartsWith("manual", StringComparison.Ordinal))
        {
            await coalescer.PaceAsync(clusterId, ct); // a burst of changes: not back to back (PushPacing)
        }

        await coalescer.StartedAsync(clusterId, ct); // changes saved from now on need (and get) a push of their own
        var took = System.Diagnostics.Stopwatch.StartNew();
        var result = await reconciler.ReconcileAsync(clusterId, trigger, ct);
        coalescer.Finished(clusterId, took.Elapsed);
        if (result is { Succeeded: false, Retryable: true })
        {
            throw new ClusterPushFailedException(result.Error ?? "The cluster could not be pushed.");
        }

        if (result.Succeeded)
        {
            await AfterPushAsync(clusterId, ct);
        }
    }

    private async Task AfterPushAsync(int clusterId, CancellationToken ct)
    {
        foreach (var step in afterPush)
        {
            try
            {
                await step.AfterPushAsync(clusterId, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogAfterPushFailed(logger, ex, clusterId, step.GetType().Name);
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "After the push of cluster {ClusterId}, {Step} failed; the next push retries it")]
    private static partial void LogAfterPushFailed(Microsoft.Extensions.Logging.ILogger logger, Exception ex, int clusterId, string step);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "After the re-check of every cluster, {Step} failed; the next push retries it")]
    private static partial void LogAfterBatchFailed(Microsoft.Extensions.Logging.ILogger logger, Exception ex, string step);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Sync all clusters")]
    public async Task SyncAllAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Clusters.Select(c => c.Id).ToListAsync(ct);
        var results = await reconciler.ReconcileManyAsync(ids, "schedule", ct);
        IReadOnlyList<int> done = [.. results.Where(r => r.Succeeded).Select(r => r.ClusterId)];
        foreach (var step in afterPush)
        {
            try
            {
                await step.AfterPushAsync(done, ct); // once for the batch: a step may share its reads across the clusters
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                foreach (var failure in ex is AggregateException many ? many.InnerExceptions : [ex])
                {
                    LogAfterBatchFailed(logger, failure, step.GetType().Name);
                }
            }
        }

        // A cluster that failed for a reason of its own gets its own push job, with the usual retries and backoff.
        foreach (var failed in results.Where(r => r is { Succeeded: false, Retryable: true }))
        {
            var id = failed.ClusterId;
            jobs.Schedule<PushClusterJob>(j => j.RunAsync(id, "retry", CancellationToken.None), TimeSpan.FromSeconds(5));
        }
    }
}
