using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.EndToEnd.Postgres;

/// <summary>The store-on-change history's roll-up upsert (hand-written SQL) on PostgreSQL: same rows and sums as on SQLite.</summary>
[Collection("postgres")]
[Trait("Provider", "Postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class ProbeHistoryPostgresTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Steady_cycles_add_to_one_rollup_per_link_and_hour_and_only_changes_add_raw_rows()
    {
        var factory = new DbFactory(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() });
        int source, target;
        await using (var db = factory.CreateDbContext())
        {
            await db.Database.MigrateAsync();
            var a = new ClusterEntity { Name = "a", Context = "a", ProtectedKubeconfig = "x", Server = "https://127.0.0.1" };
            var b = new ClusterEntity { Name = "b", Context = "b", ProtectedKubeconfig = "x", Server = "https://127.0.0.1" };
            db.Clusters.AddRange(a, b);
            await db.SaveChangesAsync();
            (source, target) = (a.Id, b.Id);
        }

        var store = new ProbeStore(factory);
        var targets = Enumerable.Range(1, 600).Select(i => new ProbeTarget(i, target, $"s{i}.ns.global", 8000)).ToList();
        var ok = new ProbeClassification(ProbeStatus.Ok, "HTTP 200", null);
        var start = new DateTimeOffset(2026, 11, 26, 10, 58, 30, TimeSpan.Zero);
        for (var cycle = 0; cycle < 3; cycle++)
        {
            // 600 results: two upsert statements a cycle; the third cycle is in the next hour; s1 fails in the second.
            await store.ReplaceAsync(source, [.. targets.Select((t, i) => i == 0 && cycle == 1
                ? new ProbeRecord(t, new ProbeClassification(ProbeStatus.Connect, "curl: (7)", null), null, null, 7, start.AddMinutes(cycle))
                : new ProbeRecord(t, ok, 200, 2 + cycle, 0, start.AddMinutes(cycle)))], CancellationToken.None);
        }

        await using var check = factory.CreateDbContext();
        Assert.Equal(600 + 2, await check.ProbeHistory.CountAsync());
        var rollups = await check.ProbeRollups.Where(r => r.Host == "s1.ns.global" || r.Host == "s2.ns.global").OrderBy(r => r.Host).ThenBy(r => r.HourStart).ToListAsync();
        Assert.Equal(
            [
                ("s1.ns.global", 10, 2, 1, 2.0, "Connect", start, start.AddMinutes(1)),
                ("s1.ns.global", 11, 1, 1, 4.0, "Ok", start.AddMinutes(2), start.AddMinutes(2)),
                ("s2.ns.global", 10, 2, 2, 5.0, "Ok", start, start.AddMinutes(1)),
                ("s2.ns.global", 11, 1, 1, 4.0, "Ok", start.AddMinutes(2), start.AddMinutes(2)),
            ],
            rollups.Select(r => (r.Host, r.HourStart.Hour, r.Count, r.OkCount, r.LatencySumMs, r.WorstStatus, r.FirstAt!.Value, r.LastAt!.Value)));
        Assert.Equal(1200, await check.ProbeRollups.CountAsync());
        Assert.Equal(1800, await check.ProbeRollups.SumAsync(r => r.Count));
    }
}
