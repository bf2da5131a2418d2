using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Features.Users;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Core.Features;

public static class FeatureServiceCollectionExtensions
{
    /// <summary>
    /// The user-action commands and read-model queries that pages and endpoints call. They sit on top of the services their
    /// areas register (exports, probes, reconciliation, clusters, teams, tokens), which never depend on them.
    /// </summary>
    public static IServiceCollection AddFeatureCommands(this IServiceCollection services)
    {
        services.AddSingleton<ExportPermissions>();
        services.AddScoped<ExportCommands>();
        services.AddScoped<RequestProbeCommand>();
        services.AddScoped<SetProbePodCommand>();
        services.AddScoped<SetCanaryCommand>();
        services.AddScoped<RequestSyncCommand>();
        services.AddScoped<SyncHistory>();
        services.AddScoped<ClusterQueries>();
        services.AddSingleton<PersonalTokens>();
        services.AddSingleton<SignInAudit>();
        return services;
    }
}
