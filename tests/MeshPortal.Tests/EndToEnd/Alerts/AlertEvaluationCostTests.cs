using System.Data.Common;
using System.Diagnostics;
using MeshPortal.Core.Features.Alerts;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace MeshPortal.Tests.EndToEnd.Alerts;

/// <summary>
/// Evaluation cost on a migrated SQLite file: the same number of queries for 5 clusters / 20 exports as for 50 clusters / 2,000
/// exports (4,000 links), never one per export, and one cycle at that size stays well under a second's budget.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class AlertEvaluationCostTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mp-alert-cost-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public Task Queries_per_cycle_do_not_grow_with_exports_and_a_cycle_at_50_clusters_and_2000_exports_is_cheap() =>
        AssertCheapAsync(name => o => o.UseSqlite($"Data Source={Path.Combine(directory, name + ".sqlite")}", x => x.MigrationsAssembly(DatabaseSetup.SqliteMigrationsAssembly)), output);

    /// <summary>The measurement on any provider: <paramref name="database"/> gives a fresh database per name.</summary>
    internal static async Task AssertCheapAsync(Func<string, Action<DbContextOptionsBuilder>> database, ITestOutputHelper output)
    {
        var (smallReads, _, smallAlerts) = await MeasureAsync(database("small"), "small", clusters: 5, exports: 20, output);
        var (largeReads, largeTime, largeAlerts) = await MeasureAsync(database("large"), "large", clusters: 50, exports: 2000, output);

        Assert.Equal(smallReads, largeReads);
        Assert.InRange(largeReads, 1, 15);
        Assert.InRange(largeTime.TotalMilliseconds, 0, 2000);

        // Cluster 2's gateway is down: every link into it is one critical alert naming it; the scattered failures add a few more.
        foreach (var alerts in new[] { smallAlerts, largeAlerts })
        {
            var gateway = Assert.Single(alerts, a => a.Key == "links/target/2");
            Assert.Equal(AlertSeverity.Critical, gateway.Severity);
            Assert.Contains("c02's ingress gateway", gateway.Summary);
        }

        Assert.InRange(largeAlerts.Count(a => a.Rule == AlertRules.LinkFailing), 2, 31);
    }

    private static async Task<(int Reads, TimeSpan Took, List<AlertEntity> Alerts)> MeasureAsync(Action<DbContextOptionsBuilder> database, string name,
        int clusters, int exports, ITestOutputHelper output)
    {
        var counter = new CountingInterceptor();
        await using var services = new ServiceCollection()
            .AddDbContextFactory<MeshPortalDbContext>(o =>
            {
                database(o);
                o.AddInterceptors(counter);
            })
            .BuildServiceProvider();
        var factory = services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        var now = DateTimeOffset.UtcNow;
        await SeedAsync(factory, clusters, exports, now);
        var options = new AlertOptions { LinkFailingProbes = 1 };
        var engine = new AlertEngine(factory, Options.Create(options), Options.Create(new ProbeOptions()), Options.Create(new TrustOptions()), TimeProvider.System, new AlertEvents());

        await engine.EvaluateAsync(CancellationToken.None); // the first cycle creates the alerts
        counter.Reset();
        var watch = Stopwatch.StartNew();
        var cycle = await engine.EvaluateAsync(CancellationToken.None); // a steady cycle: everything read again, little written
        watch.Stop();
        output.WriteLine($"{name}: {clusters} clusters, {exports} exports, {exports * 2} links: {counter.Reads} reads, {counter.Writes} writes, {watch.Elapsed.TotalMilliseconds:0} ms, {cycle}");
        await using var db = await factory.CreateDbContextAsync();
        return (counter.Reads, watch.Elapsed, await db.Alerts.AsNoTracking().ToListAsync());
    }

    private static async Task SeedAsync(IDbContextFactory<MeshPortalDbContext> factory, int clusters, int exports, DateTimeOffset now)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        var entities = Enumerable.Range(1, clusters).Select(i => new ClusterEntity
        {
            Id = i, Name = $"c{i:D2}", Context = "c", ProtectedKubeconfig = "x", Server = "https://127.0.0.1", LastCheckedAt = now, LastCheckPassed = true,
        }).ToList();
        db.Clusters.AddRange(entities);
        var scattered = 0;
        await db.SaveChangesAsync(); // the clusters first (PostgreSQL checks foreign keys per statement)
        for (var e = 1; e <= exports; e++)
        {
            var owner = (e % clusters) + 1;
            var export = new ExportEntity { Id = e, ClusterId = owner, Namespace = "ns", Service = $"svc{e}", Host = $"svc{e}.ns.global", Address = $"240.0.{e / 250}.{e % 250}" };
            db.Exports.Add(export);
            foreach (var consumer in new[] { (owner % clusters) + 1, ((owner + 1) % clusters) + 1 })
            {
                export.Consumers.Add(new ExportConsumerEntity { ClusterId = consumer });
                var failing = owner == 2 || (consumer != 2 && e % 7 == 0 && scattered < (clusters >= 50 ? 30 : 3) && ++scattered > 0);
                db.ProbeResults.Add(new ProbeResultEntity
                {
                    SourceClusterId = consumer, TargetClusterId = owner, ExportId = e, Host = export.Host, Port = 8000, ObservedAt = now,
                    Status = failing ? nameof(ProbeStatus.Connect) : nameof(ProbeStatus.Ok), Message = failing ? "refused" : null,
                });
            }
        }

        for (var i = 1; i <= clusters; i++)
        {
            for (var r = 0; r < 10; r++)
            {
                db.SyncRuns.Add(new SyncRunEntity { ClusterId = i, Trigger = "t", StartedAt = now.AddMinutes(-r), FinishedAt = now.AddMinutes(-r), Succeeded = true, ChangesJson = "[]" });
            }
        }

        await db.SaveChangesAsync();
    }

    private sealed class CountingInterceptor : DbCommandInterceptor
    {
        private int reads;
        private int writes;

        public int Reads => reads;
        public int Writes => writes;

        public void Reset() => (reads, writes) = (0, 0);

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Count(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Count(DbCommand command)
        {
            if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref reads);
            }
            else
            {
                Interlocked.Increment(ref writes);
            }
        }
    }
}

/// <summary>The same measurement on a real PostgreSQL (the server the PostgreSQL tests start).</summary>
[Collection("postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class AlertEvaluationCostPostgresTests(PostgresServer server, ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Queries_per_cycle_do_not_grow_with_exports_on_postgres()
    {
        var small = await server.CreateDatabaseAsync("alertcost");
        var large = await server.CreateDatabaseAsync("alertcost");
        await AlertEvaluationCostTests.AssertCheapAsync(name => o => o.UseNpgsql(name == "small" ? small : large,
            x => x.MigrationsAssembly(DatabaseSetup.PostgresMigrationsAssembly)), output);
    }
}
