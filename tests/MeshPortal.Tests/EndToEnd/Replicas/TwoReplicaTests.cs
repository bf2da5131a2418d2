using Hangfire;
using Hangfire.PostgreSql;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using MeshPortal.Simulator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MeshPortal.Tests.EndToEnd.Replicas;

/// <summary>
/// Two real portal processes (the built MeshPortal.Web.dll, each with its Hangfire server) on one PostgreSQL, pushing 200
/// simulated clusters: every push job runs exactly once and no cluster is pushed by both at the same time; then one replica
/// is killed with SIGKILL in the middle of a second round and the other finishes it, leaving every cluster converged.
/// </summary>
[Collection("postgres")]
[Trait("Provider", "Postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class TwoReplicaTests(PostgresServer server)
{
    private const int Clusters = 200;
    private const int Workers = 4;
    private const string Namespace = "meshportal-exports";

    [PostgresFact]
    public async Task Two_replicas_run_each_push_once_and_a_killed_replica_loses_nothing()
    {
        var connectionString = await server.CreateDatabaseAsync("ha");
        var data = Directory.CreateTempSubdirectory("meshportal-ha-").FullName;
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = Clusters, AdminEndpoint = false });
        var settings = new Dictionary<string, string>
        {
            ["MeshPortal__Replicas"] = "2",
            ["MeshPortal__Database__Provider"] = "Postgres",
            ["MeshPortal__Database__ConnectionString"] = connectionString,
            ["MeshPortal__Bootstrap__AdminPassword"] = PortalFixture.AdminPassword,
            ["MeshPortal__Jobs__WorkerCount"] = Workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MeshPortal__Jobs__QueuePollMilliseconds"] = "100",
            ["MeshPortal__Jobs__InvisibilityTimeoutSeconds"] = "15",
            ["MeshPortal__Jobs__DistributedLockTimeoutSeconds"] = "15",
            ["MeshPortal__Jobs__ClusterCheckCron"] = "",
            ["MeshPortal__Sync__Cron"] = "",
            ["MeshPortal__Probes__Cron"] = "",
            ["MeshPortal__Alerts__Cron"] = "", // its recurring evaluation would add Succeeded jobs to the count below
            ["MeshPortal__Clusters__RequestTimeoutSeconds"] = "30",
        };

        await using var a = PortalProcess.Start(Path.Combine(data, "a"), settings);
        await using var b = PortalProcess.Start(Path.Combine(data, "b"), settings); // both migrate at once: one waits on the lock
        try
        {
            await a.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            await b.WaitHealthyAsync(TimeSpan.FromSeconds(120));

            await using var provider = Services(connectionString);
            var ids = await SeedAsync(provider, mesh, exports: 10);
            // Hangfire's log provider is process-wide; the shared portal fixture may have set it to a logger factory since disposed.
            Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
            var storageOptions = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false, SchemaName = "hangfire" };
            var client = new BackgroundJobClient(new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));

            // Round 1: 200 push jobs, both replicas alive.
            foreach (var id in ids.Values)
            {
                client.Enqueue<PushClusterJob>(j => j.RunAsync(id, "ha-1", CancellationToken.None));
            }

            var round1 = await Eventually.ReturnsAsync(() => RunsAsync(provider, "ha-1"), r => r.Count >= Clusters, "200 pushes of round 1", TimeSpan.FromMinutes(4));
            Assert.All(round1, r => Assert.True(r.Succeeded, r.Error));
            Assert.Equal(ids.Values.Order(), round1.Select(r => r.ClusterId).Order()); // each cluster exactly once
            Assert.Equal(2, await ServersThatProcessedAsync(connectionString)); // the work was shared
            Converged(mesh, await ExpectedHostsAsync(provider));

            // Round 2: new exports, 200 more pushes, and replica A dies with SIGKILL while they run.
            await AddExportsAsync(provider, ids, from: 10, count: 5);
            foreach (var id in ids.Values)
            {
                client.Enqueue<PushClusterJob>(j => j.RunAsync(id, "ha-2", CancellationToken.None));
            }

            await Eventually.ReturnsAsync(() => RunsAsync(provider, "ha-2"), r => r.Count >= Clusters / 5, "round 2 under way", TimeSpan.FromMinutes(2));
            a.KillHard();
            var afterKill = await RunsAsync(provider, "ha-2");
            Assert.True(afterKill.Count < Clusters, $"the kill came too late to test anything ({afterKill.Count} runs done)");
            var round2 = await Eventually.ReturnsAsync(() => RunsAsync(provider, "ha-2"),
                r => r.Where(x => x.Succeeded).Select(x => x.ClusterId).Distinct().Count() >= Clusters, "every cluster pushed in round 2 by the survivor", TimeSpan.FromMinutes(4));

            // The jobs A had fetched when it died were not lost: after their invisibility timeout B ran them, so every one of
            // the 400 jobs ends Succeeded and none is left Processing (on a dead server) or Enqueued.
            await Eventually.ReturnsAsync(async () => string.Join(", ", (await JobStatesAsync(connectionString)).OrderBy(x => x.Key).Select(x => $"{x.Key}={x.Value}")),
                states => states == $"Succeeded={2 * Clusters}", "all 400 push jobs Succeeded", TimeSpan.FromMinutes(2));

            // A push that A had finished but not yet marked done runs again on B (at-least-once, idempotent): at most A's workers.
            var twice = round2.GroupBy(r => r.ClusterId).Count(g => g.Count() > 1);
            Assert.True(twice <= Workers, $"{twice} clusters pushed twice in round 2");
            Assert.All(round2.GroupBy(r => r.ClusterId), g => Assert.True(g.Count() <= 2, $"cluster {g.Key} pushed {g.Count()} times"));
            Assert.False(b.HasExited, b.Output);
            Converged(mesh, await ExpectedHostsAsync(provider));
            await NoOverlapAsync(provider);
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\n--- replica A:\n{Tail(a.Output)}\n--- replica B:\n{Tail(b.Output)}", ex);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    /// <summary>The test's own view of the shared database, with the replicas' key ring (to store kubeconfigs they can read).</summary>
    private static ServiceProvider Services(string connectionString)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDbContextFactory<MeshPortalDbContext>(o =>
            DatabaseSetup.Configure(o, new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }, ""));
        services.AddDataProtection().SetApplicationName("MeshPortal").PersistKeysToDbContext<MeshPortalDbContext>();
        services.AddSingleton<SecretProtector>();
        return services.BuildServiceProvider();
    }

    private static async Task<Dictionary<string, int>> SeedAsync(ServiceProvider provider, SimulatedMesh mesh, int exports)
    {
        var protector = provider.GetRequiredService<SecretProtector>();
        await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var entities = mesh.Clusters.Select(c => new ClusterEntity
        {
            Name = c.Name, Context = c.Name, Server = c.Server.ToString(), IstioVersion = c.IstioVersion,
            GatewayAddress = c.GatewayLoadBalancerIp ?? c.NodeIp, DnsProvider = "coredns", IstioCoreDnsAddress = "10.96.0.53",
            ProtectedKubeconfig = protector.ProtectKubeconfig(c.KubeconfigYaml),
            CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        }).ToList();
        foreach (var (entity, cluster) in entities.Zip(mesh.Clusters))
        {
            await Support.CheckedFacts.ApplyAsync(entity, cluster);
        }

        db.Clusters.AddRange(entities);
        await db.SaveChangesAsync();
        var ids = entities.ToDictionary(e => e.Name, e => e.Id);
        await AddExportsAsync(provider, ids, from: 0, count: exports);
        return ids;
    }

    /// <summary>Services svcN exported by the N-th cluster to every other cluster (as ExportService would save them).</summary>
    private static async Task AddExportsAsync(ServiceProvider provider, Dictionary<string, int> ids, int from, int count)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var clusterIds = ids.Values.Order().ToList();
        var now = DateTimeOffset.UtcNow;
        for (var i = from; i < from + count; i++)
        {
            db.Exports.Add(new ExportEntity
            {
                ClusterId = clusterIds[i], Namespace = "ha", Service = $"svc{i}", Host = ExportNames.Host($"svc{i}", "ha"),
                Address = $"240.0.9.{i + 1}", AllConsumers = true, CreatedBy = "test", CreatedAt = now, UpdatedAt = now,
                Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
            });
        }

        await db.SaveChangesAsync();
    }

    private static async Task<List<SyncRunEntity>> RunsAsync(ServiceProvider provider, string trigger)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        return await db.SyncRuns.AsNoTracking().Where(r => r.Trigger == trigger).ToListAsync();
    }

    /// <summary>Per consumer cluster: the hosts of every export from another cluster.</summary>
    private static async Task<Dictionary<string, string[]>> ExpectedHostsAsync(ServiceProvider provider)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var clusters = await db.Clusters.AsNoTracking().Select(c => new { c.Id, c.Name }).ToListAsync();
        var exports = await db.Exports.AsNoTracking().Select(e => new { e.ClusterId, e.Host }).ToListAsync();
        return clusters.ToDictionary(c => c.Name, c => exports.Where(e => e.ClusterId != c.Id).Select(e => e.Host).Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Every cluster holds exactly the desired ServiceEntries: none missing, none twice, nothing else.</summary>
    private static void Converged(SimulatedMesh mesh, Dictionary<string, string[]> expected)
    {
        foreach (var cluster in mesh.Clusters)
        {
            var hosts = cluster.List("networking.istio.io", "serviceentries", Namespace)
                .SelectMany(se => se["spec"]!["hosts"]!.AsArray().Select(h => (string)h!))
                .Order(StringComparer.Ordinal).ToArray();
            Assert.True(expected[cluster.Name].SequenceEqual(hosts),
                $"{cluster.Name}: expected [{string.Join(", ", expected[cluster.Name])}] but found [{string.Join(", ", hosts)}]");
        }
    }

    /// <summary>No two recorded pushes of one cluster overlapped in time (all rounds, both replicas).</summary>
    private static async Task NoOverlapAsync(ServiceProvider provider)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var runs = await db.SyncRuns.AsNoTracking().ToListAsync();
        foreach (var perCluster in runs.GroupBy(r => r.ClusterId))
        {
            var ordered = perCluster.OrderBy(r => r.StartedAt).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].StartedAt >= ordered[i - 1].FinishedAt,
                    $"cluster {perCluster.Key}: a push started at {ordered[i].StartedAt:O} while another ran until {ordered[i - 1].FinishedAt:O}");
            }
        }
    }

    private static async Task<Dictionary<string, int>> JobStatesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT statename, count(*) FROM hangfire.job GROUP BY statename", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var states = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            states[reader.IsDBNull(0) ? "(none)" : reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return states;
    }

    private static async Task<int> ServersThatProcessedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(DISTINCT (data::jsonb)->>'ServerId') FROM hangfire.state WHERE name = 'Processing'", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
