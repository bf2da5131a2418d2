using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Probes;

/// <summary>"Probe now": enqueues a cycle (fan-out) right away.</summary>
public sealed class ProbeScheduler(IBackgroundJobClient jobs)
{
    public string RunNow() => jobs.Enqueue<ProbeJob>(j => j.RunAllAsync(CancellationToken.None));

    /// <summary>Probes from one consumer cluster only.</summary>
    public string RunCluster(int clusterId) => jobs.Enqueue<ProbeJob>(j => j.RunClusterAsync(clusterId, CancellationToken.None));

    /// <summary>Probes one export from each of its consumer clusters.</summary>
    public string RunExport(int exportId) => jobs.Enqueue<ProbeJob>(j => j.RunExportAsync(exportId, CancellationToken.None));
}

/// <summary>Registers (or removes, when the cron is empty) the recurring probe cycle at start-up.</summary>
internal sealed class ProbeRecurringJob(IServiceProvider services, IOptions<ProbeOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved lazily: tools that build the host without Hangfire (EF design time) must still start.
        if (services.GetService<IRecurringJobManager>() is not { } recurring)
        {
            return Task.CompletedTask;
        }

        if (string.IsNullOrWhiteSpace(options.Value.Cron))
        {
            recurring.RemoveIfExists(ProbeJob.RecurringId);
        }
        else
        {
            recurring.AddOrUpdate<ProbeJob>(ProbeJob.RecurringId, j => j.RunAllAsync(CancellationToken.None), options.Value.Cron);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
