using System.Linq.Expressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Platform.Jobs;

/// <summary>One recurring job: its ID (from <see cref="JobIds"/>), where its cron comes from, and what it runs.</summary>
public sealed record RecurringJobDefinition(string Id, Func<IServiceProvider, string?> Cron, Action<IRecurringJobManager, string> AddOrUpdate);

public static class RecurringJobs
{
    /// <summary>
    /// Registers a recurring job under <paramref name="id"/>. At start-up the one <see cref="RecurringJobRegistrar"/> adds
    /// it with the cron <paramref name="cron"/> reads from configuration, or removes it when that cron is empty.
    /// </summary>
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string id, Func<IServiceProvider, string?> cron,
        Expression<Func<TJob, Task>> run)
    {
        services.AddSingleton(new RecurringJobDefinition(id, cron, (manager, c) => manager.AddOrUpdate(id, run, c)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RecurringJobRegistrar>());
        return services;
    }
}

/// <summary>Adds (or removes, when the cron is empty) every registered recurring job at start-up.</summary>
internal sealed class RecurringJobRegistrar(IServiceProvider services, IEnumerable<RecurringJobDefinition> jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved lazily: tools that build the host without Hangfire (EF design time) must still start.
        if (services.GetService<IRecurringJobManager>() is not { } recurring)
        {
            return Task.CompletedTask;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();

        foreach (var job in jobs)
        {
            if (job.Cron(services) is { } cron && !string.IsNullOrWhiteSpace(cron))
            {
                job.AddOrUpdate(recurring, cron);
            }
            else
            {
                recurring.RemoveIfExists(job.Id);
            }
        }

        // Part of the start-up timeline (issue 20, cold start): this runs before the portal listens.
        services.GetService<ILoggerFactory>()?.CreateLogger("MeshPortal.Startup")
            .LogInformation("Registered {Count} recurring job(s) in {Ms:0} ms", jobs.Count(), watch.Elapsed.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
