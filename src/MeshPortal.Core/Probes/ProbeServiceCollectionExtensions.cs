using MeshPortal.Core.Configuration;
using MeshPortal.Core.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshPortal.Core.Probes;

public static class ProbeServiceCollectionExtensions
{
    /// <summary>
    /// Registers reachability probes (<c>MeshPortal:Probes</c>): runner, store, retention, the Hangfire jobs, "Probe now",
    /// the recurring cycle, and the topology/wall-screen queries.
    /// </summary>
    public static IServiceCollection AddProbes(this IServiceCollection services, IConfiguration? config)
    {
        var options = services.AddOptions<ProbeOptions>();
        if (config is not null)
        {
            options.Bind(config.GetSection(ProbeOptions.Section));
        }

        options.ValidateKeysOnStart(ProbeOptions.Section)
            .Validate(o => ImageReference.IsValid(o.CanaryImage),
                "MeshPortal:Probes:CanaryImage must be an image reference such as registry.example.com/mirror/go-httpbin:v2.15.0 (no spaces).")
            .Validate(o => ImageReference.IsValid(o.ProbePodImage),
                "MeshPortal:Probes:ProbePodImage must be an image reference such as registry.example.com/mirror/curl:8.11.0 (no spaces).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProbeEvents>();
        services.AddSingleton<ProbeStore>();
        services.AddSingleton<ProbeRetention>();
        services.AddScoped<ProbeRunner>();
        services.AddScoped<ProbeJob>();
        services.TryAddSingleton(sp => new Reconciliation.ClusterJobGate(sp.GetService<Reconciliation.IClusterLockStore>()));
        services.AddScoped<ProbeScheduler>();
        services.AddSingleton<TopologyQueries>();
        services.AddSingleton<MeshPortal.Core.Reconciliation.IDesiredStateSource, ProbePodSource>();
        services.AddSingleton<MeshPortal.Core.Reconciliation.IDesiredStateSource, CanarySource>();
        services.AddScoped<CanaryService>();
        services.AddScoped<ProbePodSettings>();
        services.AddHostedService<ProbeRecurringJob>();
        services.AddHostedService<ExportMoveWatcher>();
        return services;
    }
}
