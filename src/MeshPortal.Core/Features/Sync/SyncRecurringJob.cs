using Hangfire;
using MeshPortal.Core.Platform.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Sync;

/// <summary>Registers (or removes, when the cron is empty) the recurring "sync-all-clusters" job at start-up.</summary>
internal sealed class SyncRecurringJob(IServiceProvider services, IOptions<SyncOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved lazily: tools that build the host without Hangfire (EF design time) must still start.
        if (services.GetService(typeof(IRecurringJobManager)) is not IRecurringJobManager recurring)
        {
            return Task.CompletedTask;
        }

        var cron = options.Value.Cron;
        if (string.IsNullOrWhiteSpace(cron))
        {
            recurring.RemoveIfExists(JobIds.SyncAllClusters);
        }
        else
        {
            recurring.AddOrUpdate<PushClusterJob>(JobIds.SyncAllClusters, j => j.SyncAllAsync(CancellationToken.None), cron);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
