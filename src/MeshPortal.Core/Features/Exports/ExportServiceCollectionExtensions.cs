using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Exports;

public static class ExportServiceCollectionExtensions
{
    /// <summary>
    /// Registers exports: options (<c>MeshPortal:Exports</c>, the VIP range validated at start), the VIP allocator, the export
    /// service, queries, preview, the service picker, and the "exports" desired-state source.
    /// </summary>
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration? config)
    {
        var options = services.AddOptions<ExportOptions>();
        if (config is not null)
        {
            options.Bind(config.GetSection(ExportOptions.Section));
        }

        services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptionsValidator>();
        options.ValidateKeysOnStart(ExportOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<VipAllocator>();
        services.AddSingleton<ServiceCatalog>();
        services.AddSingleton<ExportQueries>();
        services.AddScoped<ExportService>();
        services.AddSingleton<ExportPermissions>();
        services.AddScoped<ExportCommands>();
        services.AddScoped<ServiceScopeService>();
        services.AddScoped<ExportPreviewService>();
        services.AddSingleton<IDesiredStateSource, ExportSource>();
        services.AddSingleton<IAfterPush, ExportSourceObserver>();
        services.TryAddSingleton<ISyncScheduler, LoggingSyncScheduler>();
        return services;
    }
}

internal sealed class ExportOptionsValidator : IValidateOptions<ExportOptions>
{
    public ValidateOptionsResult Validate(string? name, ExportOptions options)
    {
        var failures = new List<string>();
        if (!VipRange.TryParse(options.VipRange, out _, out var error))
        {
            failures.Add($"MeshPortal:Exports:VipRange: {error}");
        }

        if (DnsLabel.Validate(options.Namespace, "namespace") is { } bad)
        {
            failures.Add($"MeshPortal:Exports:Namespace: {bad}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Used only when no reconciler is registered: records that a push was asked for.</summary>
internal sealed partial class LoggingSyncScheduler(ILogger<LoggingSyncScheduler> logger) : ISyncScheduler
{
    public void RequestSync(IEnumerable<int> clusterIds, string trigger) => LogRequested(logger, string.Join(", ", clusterIds), trigger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No reconciler is registered; push of clusters {Clusters} ({Trigger}) not scheduled")]
    private static partial void LogRequested(ILogger logger, string clusters, string trigger);
}
