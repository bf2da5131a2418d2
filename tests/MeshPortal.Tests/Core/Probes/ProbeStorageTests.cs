using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshPortal.Tests.Core.Probes;

/// <summary>Latest/history writes and bounded retention on a migrated SQLite database (the Probes migration included).</summary>
[Trait("Speed", "Fast")]
public sealed class ProbeStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 30, 0, TimeSpan.Zero);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mp-probes-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider services = null!;
    private int source;
    private int target;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        services = new ServiceCollection()
            .AddDbContextFactory<MeshPortalDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "db.sqlite")}", x => x.MigrationsAssembly("MeshPortal.Migrations")))
            .BuildServiceProvider();
        await using var db = await DbAsync();
        await db.Database.MigrateAsync();
        var a = new ClusterEntity { Name = "a", Context = "a", ProtectedKubeconfig = "x", Server = "https://127.0.0.1" };
        var b = new ClusterEntity { Name = "b", Context = "b", ProtectedKubeconfig = "x", Server = "https://127.0.0.1" };
        db.Clusters.AddRange(a, b);
        await db.SaveChangesAsync();
        (source, target) = (a.Id, b.Id);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Store_replaces_latest_rows_and_appends_a_history_row_per_changed_outcome()
    {
        var store = new ProbeStore(Factory);
        var t1 = new ProbeTarget(1, target, "s1.ns.global", 8000);
        var t2 = new ProbeTarget(2, target, "s2.ns.global", 80);
        await store.ReplaceAsync(source, ProbeRecord.All([t1, t2], ProbeClassifier.ApiUnreachable("down"), Now), CancellationToken.None);
        await store.ReplaceAsync(source, [new ProbeRecord(t1, new ProbeClassification(ProbeStatus.Ok, "HTTP 200", null), 200, 4.5, 0, Now.AddMinutes(1))], CancellationToken.None);

        await using var db = await DbAsync();
        var latest = Assert.Single(await db.ProbeResults.ToListAsync());
        Assert.Equal(("s1.ns.global", "Ok", 4.5), (latest.Host, latest.Status, latest.LatencyMs));
        Assert.Equal(3, await db.ProbeHistory.CountAsync());
    }

    [Fact]
    public async Task Store_writes_only_changed_latest_rows_and_moves_the_time_of_unchanged_ones_per_batch()
    {
        var store = new ProbeStore(Factory);
        var targets = Enumerable.Range(1, 6).Select(i => new ProbeTarget(i, target, $"s{i}.ns.global", 8000)).ToList();
        var dns = new ProbeClassification(ProbeStatus.Dns, "curl: (6) Could not resolve host", "Check the ServiceEntry");
        await store.ReplaceAsync(source, ProbeRecord.All(targets, dns, Now), CancellationToken.None);
        Dictionary<string, long> idsBefore;
        await using (var db = await DbAsync())
        {
            idsBefore = await db.ProbeResults.ToDictionaryAsync(r => r.Host, r => r.Id);
        }

        // Next cycle: two exec batches with their own times; s2 turned Ok, s6 is no longer consumed, the rest still fail alike.
        var second = new List<ProbeRecord>
        {
            new(targets[0], dns, null, null, null, Now.AddMinutes(1)),
            new(targets[1], new ProbeClassification(ProbeStatus.Ok, "HTTP 200", null), 200, 3.2, 0, Now.AddMinutes(1)),
            new(targets[2], dns, null, null, null, Now.AddMinutes(1)),
            new(targets[3], dns, null, null, null, Now.AddMinutes(1).AddSeconds(7)),
            new(targets[4], dns, null, null, null, Now.AddMinutes(1).AddSeconds(7)),
        };
        await store.ReplaceAsync(source, second, CancellationToken.None);

        await using var check = await DbAsync();
        var latest = await check.ProbeResults.OrderBy(r => r.Host).ToListAsync();
        Assert.Equal(["s1.ns.global", "s2.ns.global", "s3.ns.global", "s4.ns.global", "s5.ns.global"], latest.Select(r => r.Host));
        Assert.All(latest, r => Assert.Equal(idsBefore[r.Host], r.Id));
        Assert.Equal([Now.AddMinutes(1), Now.AddMinutes(1), Now.AddMinutes(1), Now.AddMinutes(1).AddSeconds(7), Now.AddMinutes(1).AddSeconds(7)],
            latest.Select(r => r.ObservedAt));
        Assert.Equal(("Ok", 200, 3.2, (string?)null), (latest[1].Status, latest[1].HttpStatus, latest[1].LatencyMs, latest[1].Hint));
        Assert.Equal(("Dns", "Check the ServiceEntry"), (latest[0].Status, latest[0].Hint));
        // History: the six first results, then only s2's change to Ok (the others failed alike); every result is in its roll-up.
        Assert.Equal(7, await check.ProbeHistory.CountAsync());
        Assert.Equal("s2.ns.global", (await check.ProbeHistory.SingleAsync(h => h.ObservedAt > Now)).Host);
        Assert.Equal(11, await check.ProbeRollups.SumAsync(r => r.Count));
    }

    [Fact]
    public async Task Upsert_of_one_export_leaves_the_other_latest_rows_and_their_times()
    {
        var store = new ProbeStore(Factory);
        var t1 = new ProbeTarget(1, target, "s1.ns.global", 8000);
        var t2 = new ProbeTarget(2, target, "s2.ns.global", 8000);
        var ok = new ProbeClassification(ProbeStatus.Ok, "HTTP 200", null);
        await store.ReplaceAsync(source, [new ProbeRecord(t1, ok, 200, 1, 0, Now), new ProbeRecord(t2, ok, 200, 1, 0, Now)], CancellationToken.None);
        await store.UpsertAsync(source, [new ProbeRecord(t2, ok, 200, 1, 0, Now.AddSeconds(30))], CancellationToken.None);

        await using var db = await DbAsync();
        var latest = await db.ProbeResults.OrderBy(r => r.Host).Select(r => new { r.Host, r.ObservedAt }).ToListAsync();
        Assert.Equal([("s1.ns.global", Now), ("s2.ns.global", Now.AddSeconds(30))], latest.Select(r => (r.Host, r.ObservedAt)));
    }

    [Fact]
    public async Task Retention_rolls_old_raw_rows_up_by_hour_and_deletes_old_rollups_in_chunks()
    {
        await using (var db = await DbAsync())
        {
            for (var i = 0; i < 250; i++)
            {
                // 250 rows spread over 3 hours, three days ago; every 5th one failed.
                db.ProbeHistory.Add(new ProbeHistoryEntity
                {
                    SourceClusterId = source, TargetClusterId = target, Host = "s1.ns.global", Port = 8000,
                    Status = i % 5 == 0 ? "Dns" : "Ok", LatencyMs = i % 5 == 0 ? null : 10, ObservedAt = Now.AddDays(-3).AddMinutes(i * 0.7),
                });
            }

            db.ProbeHistory.Add(new ProbeHistoryEntity { SourceClusterId = source, TargetClusterId = target, Host = "s1.ns.global", Port = 8000, Status = "Ok", ObservedAt = Now.AddHours(-1) });
            db.ProbeRollups.Add(new ProbeRollupEntity { SourceClusterId = source, TargetClusterId = target, Host = "old", Port = 1, HourStart = Now.AddDays(-40), Count = 1, WorstStatus = "Ok" });
            await db.SaveChangesAsync();
        }

        var retention = new ProbeRetention(Factory, Options.Create(new ProbeOptions { DeleteChunkSize = 100 }), new TestClock(Now));
        var (rolled, deleted) = await retention.RunAsync(CancellationToken.None);

        Assert.Equal((250, 1), (rolled, deleted));
        await using var check = await DbAsync();
        Assert.Equal(1, await check.ProbeHistory.CountAsync());
        var rollups = await check.ProbeRollups.OrderBy(r => r.HourStart).ToListAsync();
        Assert.Equal(250, rollups.Sum(r => r.Count));
        Assert.Equal(200, rollups.Sum(r => r.OkCount));
        Assert.All(rollups, r => Assert.Equal("Dns", r.WorstStatus));
        Assert.All(rollups, r => Assert.Equal(0, r.HourStart.UtcTicks % TimeSpan.TicksPerHour));
        Assert.Equal((0, 0), await retention.RunAsync(CancellationToken.None));
    }

    private IDbContextFactory<MeshPortalDbContext> Factory => services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();

    private Task<MeshPortalDbContext> DbAsync() => Factory.CreateDbContextAsync();
}
