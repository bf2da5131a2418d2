using Hangfire;
using MeshPortal.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Alerts;

/// <summary>The recurring evaluation (Hangfire, so one replica runs each cycle), and old history trimmed.</summary>
public sealed class AlertJob(AlertEngine engine, AlertDispatcher dispatcher, AlertRetention retention)
{
    public const string RecurringId = "alerts-evaluate";

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
public sealed class AlertRetention(Microsoft.EntityFrameworkCore.IDbContextFactory<Persistence.MeshPortalDbContext> dbFactory, IOptions<AlertOptions> options, TimeProvider time)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().AddDays(-Math.Max(1, options.Value.HistoryDays));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(
            db.AlertNotifications.Where(n => (n.DeliveredAt != null || n.GaveUpAt != null) && n.CreatedAt < cutoff), ct);
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(
            db.Alerts.Where(a => a.Status == AlertStatus.Resolved && a.ResolvedAt < cutoff && !db.AlertNotifications.Any(n => n.AlertId == a.Id)), ct);
    }
}

internal sealed class AlertRecurringJob(IServiceProvider services, IOptions<AlertOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<IRecurringJobManager>() is not { } recurring)
        {
            return Task.CompletedTask;
        }

        if (string.IsNullOrWhiteSpace(options.Value.Cron))
        {
            recurring.RemoveIfExists(AlertJob.RecurringId);
        }
        else
        {
            recurring.AddOrUpdate<AlertJob>(AlertJob.RecurringId, j => j.RunAsync(CancellationToken.None), options.Value.Cron);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
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

        services.AddSingleton<AlertEvents>();
        services.AddSingleton(sp => new AlertEngine(sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Persistence.MeshPortalDbContext>>(),
            sp.GetRequiredService<IOptions<AlertOptions>>(), sp.GetRequiredService<IOptions<Probes.ProbeOptions>>(), sp.GetRequiredService<IOptions<Trust.TrustOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<AlertEvents>(), sp.GetService<Reconciliation.IClusterLockStore>()));
        services.AddSingleton<AlertDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
        services.AddSingleton<AlertRetention>();
        services.AddSingleton<AlertChannels>();
        services.AddSingleton<AlertQueries>();
        services.AddScoped<AlertJob>();
        services.AddHostedService<AlertRecurringJob>();
        return services;
    }
}
