using Hangfire;
using Hangfire.States;
using MeshPortal.Core.Platform.Configuration;

namespace MeshPortal.Web.Hosting;

/// <summary>Start-up care of the job queue (issue 17, finding 16 and issue 19).</summary>
internal static class JobRecovery
{
    /// <summary>
    /// SQLite: this process holds the data directory's lock, so every job still "Processing" belonged to a process that
    /// died (kill -9, power loss); it is enqueued again at once instead of waiting out the storage's invisibility timeout.
    /// (PostgreSQL replicas keep their running jobs alive; a dead replica's jobs come back after InvisibilityTimeoutSeconds.)
    /// </summary>
    public static void RequeueOrphans(IServiceProvider services, MeshPortalOptions options, ILogger logger)
    {
        if (options.Database.Provider != DatabaseProvider.Sqlite || services.GetService<JobStorage>() is not { } storage)
        {
            return;
        }

        var client = services.GetRequiredService<IBackgroundJobClient>();
        var monitoring = storage.GetMonitoringApi();
        var requeued = 0;
        foreach (var (id, _) in monitoring.ProcessingJobs(0, 1000))
        {
            if (client.ChangeState(id, new EnqueuedState { Reason = "Requeued at start-up: the process running it ended" }, ProcessingState.StateName))
            {
                requeued++;
            }
        }

        if (requeued > 0)
        {
            logger.LogInformation("Requeued {Count} job(s) that were running when the previous portal process ended", requeued);
        }
    }

    /// <summary>Runs the recurring probe cycle once now (when it is scheduled at all).</summary>
    public static void TriggerFirstProbeCycle(IServiceProvider services, ILogger logger)
    {
        var cron = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MeshPortal.Core.Features.Probes.ProbeOptions>>().Value.Cron;
        if (string.IsNullOrWhiteSpace(cron))
        {
            return;
        }

        try
        {
            using var scope = services.CreateScope();
            scope.ServiceProvider.GetRequiredService<MeshPortal.Core.Features.Probes.ProbeScheduler>().RunNow();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "The first probe cycle could not be queued; the recurring one runs at its next tick");
        }
    }
}
