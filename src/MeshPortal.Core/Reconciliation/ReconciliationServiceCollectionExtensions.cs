using MeshPortal.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshPortal.Core.Reconciliation;

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
        services.TryAddSingleton(sp => new ClusterLocks(sp.GetService<IClusterLockStore>()));
        services.TryAddSingleton<PushCoalescer>();
        services.TryAddSingleton<VerifiedObjects>();
        services.TryAddSingleton<SyncApplier>();
        services.TryAddScoped<ClusterReconciler>();
        services.TryAddScoped<PushClusterJob>();
        services.TryAddScoped<SyncStatusReader>();
        services.TryAddSingleton<ISyncScheduler, HangfireSyncScheduler>();
        services.AddHostedService<SyncRecurringJob>();
        return services;
    }
}
