using System.Globalization;
using Hangfire;
using Hangfire.InMemory;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshPortal.Tests.Support;

/// <summary>
/// The portal's services without a web host, built from the registration the app itself runs
/// (<see cref="MeshPortalServices.AddMeshPortalStorage"/> and <see cref="MeshPortalServices.AddMeshPortalCore"/>), so a test
/// wires nothing by hand. It overrides only what a test must: its own data directory (a SQLite file, migrated, and a key
/// ring), the settings it passes, pushes recorded in <see cref="Pushes"/> instead of queued (the test decides when to sync),
/// background jobs in Hangfire's in-memory <see cref="Jobs"/>, and whatever <c>overrides</c> replaces (a clock, a source).
/// <see cref="CheckerHarness"/>, <see cref="ReconcilerHarness"/>, <see cref="TrustHarness"/> and the command tests' harness
/// are this plus their helpers.
/// </summary>
internal sealed class ServiceHarness : IAsyncDisposable, IDisposable
{
    private readonly ServiceProvider provider;

    // Made on first use: Hangfire's storage takes its logger from the process-wide LogProvider, which a stopped portal host
    // in the same run leaves disposed, so harnesses that enqueue nothing never touch it.
    private readonly Lazy<InMemoryStorage> jobs;

    private ServiceHarness(string directory, ServiceProvider provider, RecordingScheduler pushes, Lazy<InMemoryStorage> jobs)
    {
        DataDirectory = directory;
        this.provider = provider;
        Pushes = pushes;
        this.jobs = jobs;
    }

    public string DataDirectory { get; }

    public IServiceProvider Services => provider;

    /// <summary>The pushes the services asked for (nothing is pushed until the test runs the reconciler).</summary>
    public RecordingScheduler Pushes { get; }

    /// <summary>The background jobs the services enqueued (none runs).</summary>
    public InMemoryStorage Jobs => jobs.Value;

    /// <summary>Builds the services; nothing is opened yet (see <see cref="StartAsync"/> for a migrated database).</summary>
    /// <param name="settings">Configuration keys as the app reads them (<c>MeshPortal:Clusters:RequestTimeoutSeconds</c>, ...).</param>
    /// <param name="overrides">Runs after the app's registration: replace what the test must (last registration wins).</param>
    public static ServiceHarness Create(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? overrides = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "meshportal-svc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            [MeshPortalOptions.Section + ":DataDirectory"] = directory,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = configuration.GetSection(MeshPortalOptions.Section).Get<MeshPortalOptions>() ?? new MeshPortalOptions();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddMeshPortalStorage(configuration, options, options.ResolveDataDirectory());
        services.AddMeshPortalCore(configuration);

        // What the web host would add: Hangfire's client (here over in-memory storage, no server) and the queued push (here recorded).
        var pushes = new RecordingScheduler();
        var jobs = new Lazy<InMemoryStorage>(() => new InMemoryStorage());
        services.Replace(ServiceDescriptor.Singleton<ISyncScheduler>(pushes));
        services.AddSingleton<IBackgroundJobClient>(_ => new BackgroundJobClient(jobs.Value));
        overrides?.Invoke(services);
        return new ServiceHarness(directory, services.BuildServiceProvider(), pushes, jobs);
    }

    /// <summary><see cref="Create"/>, then the database migrated as the app does at start.</summary>
    public static async Task<ServiceHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? overrides = null)
    {
        var harness = Create(settings, overrides);
        await using var db = await harness.DbAsync();
        await db.Database.MigrateAsync();
        return harness;
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    public AsyncServiceScope CreateScope() => provider.CreateAsyncScope();

    public Task<MeshPortalDbContext> DbAsync() => provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();

    public void Dispose()
    {
        provider.Dispose();
        if (jobs.IsValueCreated)
        {
            jobs.Value.Dispose();
        }

        DeleteDirectory();
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        if (jobs.IsValueCreated)
        {
            jobs.Value.Dispose();
        }

        DeleteDirectory();
    }

    private void DeleteDirectory()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }
}

/// <summary>An <see cref="ISyncScheduler"/> that records each push asked for (clusters and trigger) instead of queueing it.</summary>
internal sealed class RecordingScheduler : ISyncScheduler
{
    private readonly List<(int[] Clusters, string Trigger)> requests = [];

    public IReadOnlyList<(int[] Clusters, string Trigger)> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Every cluster id asked for, in order.</summary>
    public IReadOnlyList<int> Requested => [.. Requests.SelectMany(r => r.Clusters)];

    public void RequestSync(IEnumerable<int> clusterIds, string trigger)
    {
        lock (requests)
        {
            requests.Add(([.. clusterIds], trigger));
        }
    }
}
