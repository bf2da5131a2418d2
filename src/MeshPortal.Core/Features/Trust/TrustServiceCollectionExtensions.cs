using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Locks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Core.Features.Trust;

public static class TrustServiceCollectionExtensions
{
    /// <summary>
    /// Mesh trust: <see cref="TrustOptions"/> (<c>MeshPortal:Trust</c>), the issuer, <see cref="TrustService"/>, the status
    /// reader, the istiod restarter, the "trust" desired-state source and the hook that issues intermediates for new clusters.
    /// </summary>
    public static IServiceCollection AddTrust(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrustOptions>().Bind(configuration.GetSection(TrustOptions.Section)).ValidateKeysOnStart(TrustOptions.Section);
        services.AddClusterLocks();
        services.AddSingleton<IssuanceProgress>();
        services.AddSingleton<IntermediateIssuer>();
        services.AddSingleton<BackgroundIssuance>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundIssuance>());
        services.AddScoped<TrustService>();
        services.AddScoped<TrustStatusReader>();
        services.AddScoped<IstiodRestarter>();
        services.AddScoped<TrustRollout>();
        services.AddSingleton<TrustSource>();
        services.AddSingleton<IDesiredStateSource>(sp => sp.GetRequiredService<TrustSource>());
        services.AddHostedService<TrustClusterWatcher>();
        return services;
    }
}
