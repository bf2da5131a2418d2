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
        services.TryAddSingleton<RecurringJobRegistrar>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RecurringJobRegistrar>(sp => sp.GetRequiredService<RecurringJobRegistrar>()));
        return services;
    }

    /// <summary>
    /// Registers the recurring jobs now instead of when the hosted services start (which then finds them registered): start-up
    /// on SQLite does it beside the database preparation, before the job server starts, so it is off the path to ready
    /// (issue 20, cold start) without running beside the server. Does nothing when no recurring job is registered.
    /// </summary>
    public static void RegisterNow(IServiceProvider services) => services.GetService<RecurringJobRegistrar>()?.Register();
}

/// <summary>Adds (or removes, when the cron is empty) every registered recurring job at start-up.</summary>
internal sealed class RecurringJobRegistrar(IServiceProvider services, IEnumerable<RecurringJobDefinition> jobs) : IHostedService
{
    private readonly Lock gate = new();
    private bool registered;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Register();
        return Task.CompletedTask;
    }

    /// <summary>Adds or removes every recurring job, once per process (start-up may call it before the hosted services start).</summary>
    public void Register()
    {
        lock (gate)
        {
            if (registered)
            {
                return;
            }

            RegisterAll();
            registered = true;
        }
    }

    private void RegisterAll()
    {
        // Resolved lazily: tools that build the host without Hangfire (EF design time) must still start.
        if (services.GetService<IRecurringJobManager>() is not { } recurring)
        {
            return;
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

        // Part of the start-up timeline (issue 20, cold start): this runs before the job server starts.
        services.GetService<ILoggerFactory>()?.CreateLogger("MeshPortal.Startup")
            .LogInformation("Registered {Count} recurring job(s) in {Ms:0} ms", jobs.Count(), watch.Elapsed.TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
