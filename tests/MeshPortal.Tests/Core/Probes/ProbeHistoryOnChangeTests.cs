using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshPortal.Tests.Core.Probes;

/// <summary>
/// The store-on-change history on a migrated SQLite file: steady cycles add no raw rows, a change adds one, every result lands in
/// its hour's roll-up, and the link chart and its list of changes read from that what they read from one row per result.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ProbeHistoryOnChangeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 30, 0, TimeSpan.Zero);
    private static readonly ProbeClassification OkClass = new(ProbeStatus.Ok, "HTTP 200", null);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mp-history-" + Guid.NewGuid().ToString("N"));
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
    public async Task Unchanged_cycles_add_no_raw_rows_and_a_changed_outcome_adds_one()
    {
        var store = new ProbeStore(Factory);
        var targets = Enumerable.Range(1, 3).Select(i => new ProbeTarget(i, target, $"s{i}.ns.global", 8000)).ToList();
        var start = new DateTimeOffset(2026, 11, 26, 10, 0, 5, TimeSpan.Zero);
        for (var cycle = 0; cycle < 10; cycle++)
        {
            // The latency moves every cycle: only the outcome makes a change point.
            await store.ReplaceAsync(source, [.. targets.Select(t => new ProbeRecord(t, OkClass, 200, 4 + cycle, 0, start.AddMinutes(cycle)))], CancellationToken.None);
        }

        Assert.Equal(3, await CountAsync(db => db.ProbeHistory));
        var dns = new ProbeClassification(ProbeStatus.Dns, "curl: (6) Could not resolve host", null);
        await store.ReplaceAsync(source, [new(targets[0], OkClass, 200, 5, 0, start.AddMinutes(10)), new(targets[1], dns, null, null, 6, start.AddMinutes(10)),
            new(targets[2], OkClass, 200, 5, 0, start.AddMinutes(10))], CancellationToken.None);

        await using var db = await DbAsync();
        var history = await db.ProbeHistory.OrderBy(h => h.Id).ToListAsync();
        Assert.Equal(4, history.Count);
        Assert.All(history, h => Assert.True(h.IsChange));
        Assert.Equal(("s2.ns.global", "Dns", "Ok", start.AddMinutes(10)), (history[3].Host, history[3].Status, history[3].PreviousStatus, history[3].ObservedAt));
        Assert.Equal([null, null, null], history.Take(3).Select(h => h.PreviousStatus));

        var rollups = await db.ProbeRollups.OrderBy(r => r.Host).ToListAsync();
        Assert.Equal(3, rollups.Count);
        Assert.All(rollups, r => Assert.Equal((11, new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), start, start.AddMinutes(10)),
            (r.Count, r.HourStart, r.FirstAt!.Value, r.LastAt!.Value)));
        Assert.Equal((10, "Dns", Enumerable.Range(4, 10).Sum(x => (double)x), 13.0), (rollups[1].OkCount, rollups[1].WorstStatus, rollups[1].LatencySumMs, rollups[1].LatencyMaxMs));
        Assert.Equal((11, "Ok", 13.0), (rollups[0].OkCount, rollups[0].WorstStatus, rollups[0].LatencyMaxMs));
    }

    [Fact]
    public async Task The_write_time_rollups_equal_what_retention_folded_from_one_row_per_result()
    {
        var results = Mixed(new DateTimeOffset(2026, 11, 26, 8, 10, 0, TimeSpan.Zero), 260, jitterSeconds: 7);
        await WriteAsync(new ProbeStore(Factory), results);
        List<ProbeRollupEntity> written;
        await using (var db = await DbAsync())
        {
            written = await db.ProbeRollups.AsNoTracking().OrderBy(r => r.HourStart).ToListAsync();
            await db.ProbeRollups.ExecuteDeleteAsync();
            await db.ProbeHistory.ExecuteDeleteAsync();
            db.ProbeHistory.AddRange(results.Select(Legacy));
            await db.SaveChangesAsync();
        }

        var retention = new ProbeRetention(Factory, Options.Create(new ProbeOptions()), new TestClock(Now.AddDays(3)));
        Assert.Equal((260, 0), await retention.RunAsync(CancellationToken.None));
        await using var check = await DbAsync();
        var folded = await check.ProbeRollups.AsNoTracking().OrderBy(r => r.HourStart).ToListAsync();
        Assert.Equal(Shape(folded), Shape(written));
    }

    [Fact]
    public async Task The_link_chart_and_its_changes_read_the_same_from_change_points_as_from_one_row_per_result()
    {
        // 08:10 to 12:29, one result a minute; the portal was upgraded at 08:48, so the first 38 results are one row each.
        var results = Mixed(new DateTimeOffset(2026, 11, 26, 8, 10, 0, TimeSpan.Zero), 260, jitterSeconds: 0);
        var upgrade = results.FindIndex(r => r.ObservedAt >= new DateTimeOffset(2026, 11, 26, 8, 48, 0, TimeSpan.Zero));
        await using (var db = await DbAsync())
        {
            db.ProbeHistory.AddRange(results.Take(upgrade).Select(Legacy));
            var last = results[upgrade - 1];
            db.ProbeResults.Add(new ProbeResultEntity
            {
                SourceClusterId = source, TargetClusterId = target, ExportId = 1, Host = last.Target.Host, Port = last.Target.Port,
                Status = last.Classification.Status.ToString(), Message = last.Classification.Message, HttpStatus = last.HttpStatus, LatencyMs = last.LatencyMs,
                ExitCode = last.ExitCode, ObservedAt = last.ObservedAt,
            });
            await db.SaveChangesAsync();
        }

        await WriteAsync(new ProbeStore(Factory), results.Skip(upgrade));

        var before = new LinkHistory([.. results.Select(r => new HistoryPoint(r.ObservedAt, r.Classification.Status, r.LatencyMs))], [], []);
        var after = await new TopologyQueries(Factory, Options.Create(new ProbeOptions()), new TestClock(Now)).HistoryAsync("a", "s1.ns.global", 8000, Now.AddHours(-24), CancellationToken.None);
        Assert.Equal(upgrade, after.Raw.Count);
        Assert.Equal(5, after.Changes.Count);
        Assert.Equal(5, after.Rollups.Count);

        var from = HistoryChart.WindowStart(before, Now.AddHours(-24), Now, TimeSpan.FromHours(1));
        Assert.Equal(from, HistoryChart.WindowStart(after, Now.AddHours(-24), Now, TimeSpan.FromHours(1)));
        var expected = HistoryChart.Build(before, from, Now, 48);
        var actual = HistoryChart.Build(after, from, Now, 48);
        Assert.Equal((expected.Samples, expected.Availability), (actual.Samples, actual.Availability));
        Assert.Equal(expected.Buckets.Select(b => (b.Start, b.Count, b.OkCount, b.Availability)), actual.Buckets.Select(b => (b.Start, b.Count, b.OkCount, b.Availability)));

        // Latency is kept per hour now: a bucket before the upgrade is exact, and every bucket's latency adds up to the same total.
        var legacyBuckets = expected.Buckets.Count(b => b.Start.AddTicks((Now - from).Ticks / 48) <= results[upgrade].ObservedAt);
        Assert.Equal(expected.Buckets.Take(legacyBuckets).Select(b => b.MeanLatencyMs), actual.Buckets.Take(legacyBuckets).Select(b => b.MeanLatencyMs));
        Assert.Equal(expected.Buckets.Sum(b => (b.MeanLatencyMs ?? 0) * b.OkCount), actual.Buckets.Sum(b => (b.MeanLatencyMs ?? 0) * b.OkCount), 0.1 * expected.Buckets.Sum(b => b.OkCount));

        Assert.Equal(HistoryChart.LastChanges(before, 10), HistoryChart.LastChanges(after, 10));
    }

    [Fact]
    public async Task With_jittered_cycles_the_chart_counts_add_up_and_no_bucket_is_off_by_more_than_one_result()
    {
        var results = Mixed(new DateTimeOffset(2026, 11, 26, 8, 10, 0, TimeSpan.Zero), 260, jitterSeconds: 9);
        await WriteAsync(new ProbeStore(Factory), results);

        var before = new LinkHistory([.. results.Select(r => new HistoryPoint(r.ObservedAt, r.Classification.Status, r.LatencyMs))], [], []);
        var after = await new TopologyQueries(Factory, Options.Create(new ProbeOptions()), new TestClock(Now)).HistoryAsync("a", "s1.ns.global", 8000, Now.AddHours(-24), CancellationToken.None);
        var from = HistoryChart.WindowStart(before, Now.AddHours(-24), Now, TimeSpan.FromHours(1));
        var expected = HistoryChart.Build(before, from, Now, 48);
        var actual = HistoryChart.Build(after, from, Now, 48);

        Assert.Equal((expected.Samples, expected.Availability), (actual.Samples, actual.Availability));
        Assert.All(expected.Buckets.Zip(actual.Buckets), p => Assert.InRange(p.Second.Count - p.First.Count, -1, 1));
        Assert.All(expected.Buckets.Zip(actual.Buckets), p => Assert.InRange(p.Second.OkCount - p.First.OkCount, -1, 1));
        Assert.Equal(HistoryChart.LastChanges(before, 10), HistoryChart.LastChanges(after, 10));
    }

    [Fact]
    public async Task Retention_deletes_old_change_points_without_counting_them_again()
    {
        var results = Mixed(Now.AddDays(-3), 120, jitterSeconds: 0);
        await WriteAsync(new ProbeStore(Factory), results);
        List<(int, int, double)> before;
        await using (var db = await DbAsync())
        {
            before = [.. (await db.ProbeRollups.OrderBy(r => r.HourStart).ToListAsync()).Select(r => (r.Count, r.OkCount, r.LatencySumMs))];
            Assert.Equal(120, before.Sum(r => r.Item1));
        }

        var retention = new ProbeRetention(Factory, Options.Create(new ProbeOptions { DeleteChunkSize = 100 }), new TestClock(Now));
        var (removed, _) = await retention.RunAsync(CancellationToken.None);

        await using var check = await DbAsync();
        Assert.Equal(0, await check.ProbeHistory.CountAsync());
        Assert.True(removed > 0);
        Assert.Equal(before, (await check.ProbeRollups.OrderBy(r => r.HourStart).ToListAsync()).Select(r => (r.Count, r.OkCount, r.LatencySumMs)));
    }

    /// <summary>One link's results a minute apart (plus a jitter): OK, Dns 70–84, Connect 85–89, OK, Tls 175–176, OK.</summary>
    private List<ProbeRecord> Mixed(DateTimeOffset start, int count, int jitterSeconds)
    {
        var t = new ProbeTarget(1, target, "s1.ns.global", 8000);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var at = start.AddMinutes(i).AddSeconds(jitterSeconds == 0 ? 0 : (i * 7919 % (2 * jitterSeconds + 1)) - jitterSeconds);
            var status = i is >= 70 and < 85 ? ProbeStatus.Dns : i is >= 85 and < 90 ? ProbeStatus.Connect : i is 175 or 176 ? ProbeStatus.Tls : ProbeStatus.Ok;
            return status == ProbeStatus.Ok
                ? new ProbeRecord(t, OkClass, 200, 5 + (i % 7) + 0.5, 0, at)
                : new ProbeRecord(t, new ProbeClassification(status, $"curl failed ({status})", null), null, null, 7, at);
        })];
    }

    private async Task WriteAsync(ProbeStore store, IEnumerable<ProbeRecord> results)
    {
        foreach (var r in results)
        {
            await store.ReplaceAsync(source, [r], CancellationToken.None);
        }
    }

    private ProbeHistoryEntity Legacy(ProbeRecord r) => new()
    {
        SourceClusterId = source, TargetClusterId = target, Host = r.Target.Host, Port = r.Target.Port, Status = r.Classification.Status.ToString(),
        HttpStatus = r.HttpStatus, LatencyMs = r.LatencyMs, ObservedAt = r.ObservedAt,
    };

    private static List<(DateTimeOffset, int, int, double, double, string, DateTimeOffset?, DateTimeOffset?)> Shape(IEnumerable<ProbeRollupEntity> rollups) =>
        [.. rollups.Select(r => (r.HourStart, r.Count, r.OkCount, Math.Round(r.LatencySumMs, 6), r.LatencyMaxMs, r.WorstStatus, r.FirstAt, r.LastAt))];

    private async Task<int> CountAsync<T>(Func<MeshPortalDbContext, IQueryable<T>> set)
    {
        await using var db = await DbAsync();
        return await set(db).CountAsync();
    }

    private IDbContextFactory<MeshPortalDbContext> Factory => services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();

    private Task<MeshPortalDbContext> DbAsync() => Factory.CreateDbContextAsync();
}
