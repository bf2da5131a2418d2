using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Core.Features.MultiCluster;

public static class MultiClusterServiceCollectionExtensions
{
    /// <summary>The multi-primary mesh: its desired-state source (network labels, reader tokens, remote secrets) and the reader-token keeper.</summary>
    public static IServiceCollection AddMultiCluster(this IServiceCollection services)
    {
        services.AddSingleton<IDesiredStateSource, MultiPrimarySource>();
        services.AddSingleton<ReaderTokenService>();
        services.AddSingleton<EastWestGatewayService>();
        services.AddSingleton<RemoteClusterStatus>();
        services.AddSingleton<IAfterClusterCheck>(sp => sp.GetRequiredService<RemoteClusterStatus>());
        services.AddSingleton<IAfterPush>(sp => sp.GetRequiredService<ReaderTokenService>());
        return services;
    }
}
