using Hangfire;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>The recurring evaluation (Hangfire, so one replica runs each cycle), and old history trimmed.</summary>
public sealed class AlertJob(AlertEngine engine, AlertDispatcher dispatcher, AlertRetention retention)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Evaluate alerts")]
    public async Task RunAsync(CancellationToken ct)
    {
        await engine.EvaluateAsync(ct);
        dispatcher.Wake();
        await retention.RunAsync(ct);
    }
}

/// <summary>Deletes resolved alerts and finished notifications older than <c>HistoryDays</c>.</summary>
public sealed class AlertRetention(Microsoft.EntityFrameworkCore.IDbContextFactory<MeshPortalDbContext> dbFactory, IOptions<AlertOptions> options, TimeProvider time)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().AddDays(-Math.Max(1, options.Value.HistoryDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(
            db.AlertNotifications.Where(n => (n.DeliveredAt != null || n.GaveUpAt != null) && n.CreatedAt < cutoff), ct);
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(
            db.Alerts.Where(a => a.Status == AlertStatus.Resolved && a.ResolvedAt < cutoff && !db.Set<AlertNotificationEntity>().Any(n => n.AlertId == a.Id)), ct);
    }
}

public static class AlertServiceCollectionExtensions
{
    /// <summary>Registers alerting (<c>MeshPortal:Alerts</c>): evaluation job, lifecycle engine, outbox dispatcher, channels, silences.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration? config)
    {
        var options = services.AddOptions<AlertOptions>();
        if (config is not null)
        {
            options.Bind(config.GetSection(AlertOptions.Section));
        }

        options.ValidateKeysOnStart(AlertOptions.Section);
        services.AddClusterLocks();
        services.AddSingleton<AlertEvents>();
        services.AddSingleton(sp => new AlertEngine(sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MeshPortalDbContext>>(),
            sp.GetRequiredService<IOptions<AlertOptions>>(), sp.GetRequiredService<IOptions<ProbeOptions>>(), sp.GetRequiredService<IOptions<TrustOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AlertEvents>(), sp.GetRequiredService<ClusterLocks>()));
        services.AddSingleton<AlertDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        services.AddSingleton<AlertRetention>();
        services.AddSingleton<AlertChannels>();
        services.AddSingleton<AlertQueries>();
        services.AddScoped<AlertJob>();
        services.AddRecurringJob<AlertJob>(JobIds.EvaluateAlerts, sp => sp.GetRequiredService<IOptions<AlertOptions>>().Value.Cron, j => j.RunAsync(CancellationToken.None));
        return services;
    }
}
