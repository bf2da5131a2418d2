using MeshPortal.Core.Notifications;
using MeshPortal.Core.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Trust;

/// <summary>
/// The small hook that gives a cluster registered after the root its intermediate at once: on every cluster change it
/// issues what is missing (a cheap query when nothing is) and requests a push of the clusters that got one.
/// </summary>
public sealed partial class TrustClusterWatcher(
    ClusterEvents events, IntermediateIssuer issuer, IServiceScopeFactory scopes, ILogger<TrustClusterWatcher> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        events.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        events.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(string clusterName) => _ = Task.Run(async () =>
    {
        try
        {
            var issued = await issuer.EnsureAllAsync(CancellationToken.None);
            if (issued.Count > 0)
            {
                await using var scope = scopes.CreateAsyncScope();
                foreach (var scheduler in scope.ServiceProvider.GetServices<ISyncScheduler>())
                {
                    scheduler.RequestSync(issued, TrustService.SyncTrigger);
                }
            }
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, clusterName);
        }
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Issuing missing intermediates after a change of {Cluster} failed; the next push retries")]
    private static partial void LogFailed(ILogger logger, Exception ex, string cluster);
}
