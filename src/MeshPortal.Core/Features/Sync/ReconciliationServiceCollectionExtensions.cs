using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Locks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Sync;

public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>
    /// The reconciler: <see cref="SyncOptions"/> (from <c>MeshPortal:Sync</c>), <see cref="ClusterReconciler"/>,
    /// <see cref="PushClusterJob"/>, <see cref="ISyncScheduler"/> (Hangfire), <see cref="SyncStatusReader"/> and the
    /// recurring "sync-all-clusters" job. Desired-state sources are registered by their own areas as
    /// <see cref="IDesiredStateSource"/>.
    /// </summary>
    public static IServiceCollection AddReconciliation(this IServiceCollection services, IConfiguration? configuration)
    {
        var options = services.AddOptions<SyncOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(SyncOptions.Section));
        }

        options.ValidateKeysOnStart(SyncOptions.Section);

        services.TryAddSingleton(TimeProvider.System);
        services.AddClusterLocks();
        services.AddScoped<RequestSyncCommand>();
        services.AddScoped<SyncHistory>();
        services.TryAddSingleton<IPushMarks, MemoryPushMarks>();
        services.TryAddSingleton<PushCoalescer>();
        services.TryAddSingleton<VerifiedObjects>();
        services.TryAddSingleton<SyncApplier>();
        services.TryAddScoped<ClusterReconciler>();
        services.TryAddScoped<PushClusterJob>();
        services.TryAddScoped<SyncStatusReader>();
        services.TryAddSingleton<ISyncScheduler, HangfireSyncScheduler>();
        services.AddRecurringJob<PushClusterJob>(JobIds.SyncAllClusters, sp => sp.GetRequiredService<IOptions<SyncOptions>>().Value.Cron, j => j.SyncAllAsync(CancellationToken.None));
        return services;
    }
}
