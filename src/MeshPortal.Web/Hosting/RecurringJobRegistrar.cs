using Hangfire;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Jobs;
using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Hosting;

/// <summary>Registers the recurring jobs under constant IDs at start-up (removed when disabled in configuration).</summary>
internal sealed class RecurringJobRegistrar(IRecurringJobManager recurring, IOptions<MeshPortalOptions> options, IOptions<MeshPortal.Core.Platform.Audit.AuditOptions> audit) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var cron = options.Value.Jobs.ClusterCheckCron;
        if (string.IsNullOrWhiteSpace(cron))
        {
            recurring.RemoveIfExists(JobIds.CheckAllClusters);
        }
        else
        {
            recurring.AddOrUpdate<ClusterCheckJob>(JobIds.CheckAllClusters, j => j.CheckAllAsync(CancellationToken.None), cron);
        }

        var retention = audit.Value.RetentionCron;
        if (string.IsNullOrWhiteSpace(retention))
        {
            recurring.RemoveIfExists(MeshPortal.Core.Platform.Audit.AuditRetention.JobId);
        }
        else
        {
            recurring.AddOrUpdate<MeshPortal.Core.Platform.Audit.AuditRetention>(MeshPortal.Core.Platform.Audit.AuditRetention.JobId, r => r.RunAsync(CancellationToken.None), retention);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
