using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Locks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Probes;

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
        services.AddClusterLocks();
        services.AddScoped<ProbeScheduler>();
        services.AddSingleton<MeshPortal.Core.Features.Sync.IDesiredStateSource, ProbePodSource>();
        services.AddSingleton<MeshPortal.Core.Features.Sync.IDesiredStateSource, CanarySource>();
        services.AddScoped<CanaryService>();
        services.AddScoped<RequestProbeCommand>();
        services.AddScoped<SetProbePodCommand>();
        services.AddScoped<SetCanaryCommand>();
        services.AddScoped<ProbePodSettings>();
        services.AddRecurringJob<ProbeJob>(JobIds.ProbeAllClusters, sp => sp.GetRequiredService<IOptions<ProbeOptions>>().Value.Cron, j => j.RunAllAsync(CancellationToken.None));
        return services;
    }
}
