using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Kubernetes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshPortal.Core.Features.Clusters;

public static class ClusterAccessServiceCollectionExtensions
{
    /// <summary>
    /// Registers cluster access: <see cref="ClusterAccessOptions"/> (from <c>MeshPortal:Clusters</c>), the kubeconfig validator,
    /// the client factory (one cached client per cluster), the gateway and the connection checker, all singletons.
    /// </summary>
    public static IServiceCollection AddClusterAccess(this IServiceCollection services, IConfiguration? config)
    {
        var options = services.AddOptions<ClusterAccessOptions>();
        if (config is not null)
            options.Bind(config.GetSection(ClusterAccessOptions.Section));
        options.ValidateKeysOnStart(ClusterAccessOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KubeconfigValidator>();
        services.TryAddSingleton<IClusterClientFactory, ClusterClientFactory>();
        services.TryAddSingleton<IClusterGateway, ClusterGateway>();
        services.TryAddSingleton<IClusterConnectionChecker, ConnectionChecker>();
        return services;
    }
}
