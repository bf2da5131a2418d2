using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using MeshPortal.Simulator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MeshPortal.Benchmarks;

/// <summary>
/// SQLite vs PostgreSQL with one and two replicas, same run, same simulated clusters, at the export suite's scale
/// (N clusters, M exports each consumed by every other cluster):
/// (1) no-op re-check: every cluster pushed once with nothing to change, one job per cluster spread over the replicas
///     (16 in flight per replica, like a Hangfire server with 16 workers), and the batch the recurring job runs (one replica);
/// (2) export saved -> ServiceEntry present in its consumer, through the real portal processes (the built MeshPortal.Web.dll,
///     Hangfire on SQLite or PostgreSQL), saves alternating between replicas, while the M exports are in the database.
/// (3) a burst of B export creates from 8 clients through the portal processes (clients spread over the replicas; each export
///     from cluster-1, consumed by cluster-2 and cluster-3; <c>create-burst</c> spreads them over the clusters): creates/s,
///     p50/p99, every answer that is not 201 (no two requests name the same service, so a 409 is a false conflict), peak
///     resident memory of each process, the CPU the portals, PostgreSQL and this process (clients and simulated clusters)
///     used during the burst; twice on the same processes: just started, then warm, once the pushes the first burst caused
///     are done (the portals idle again), as <c>create-burst</c> waits for its job queue;
/// (4) cold start over that data: one portal process started again, process start to the first 200 from <c>/readyz</c>, median
///     of three.
/// PostgreSQL: <c>MESHPORTAL_BENCH_POSTGRES</c> (a server whose user may create databases), else Debian's initdb/pg_ctl
/// into a temp directory (as the postgres user when run as root).
/// Each setup starts from the clusters as installed (<see cref="ClearPushed"/>).
/// The portal processes run the built <c>bin/Release</c> dll, or with <c>image</c> the portal published as the Dockerfile does
/// (ReadyToRun), or a given MeshPortal.Web.dll, as <c>cold-start</c> does.
/// Usage: <c>postgres [clusters=50] [exports=2000] [samples=20] [burst=2000] [sections=recheck,latency,burst,cold] [bin|image|dll]</c>.
/// </summary>
internal static class PostgresBenchmarks
{
    private const string Token = "mp_bench-pg-bootstrap-token-0123456789abcdefghijklmnop";

    /// <summary>The portal the processes run (bin/Release, published as the Dockerfile does, or a given dll).</summary>
    private static string portalDll = typeof(MeshPortal.Web.Hosting.MeshPortalServices).Assembly.Location;

    /// <summary>The burst runs twice on the same processes: just started (the JIT still tiering), then warm.</summary>
    private const int BurstRounds = 2;

    private sealed record Setup(string Name, DatabaseProvider Provider, int Replicas);

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 50);
        var exportCount = Arg(1, 2000);
        var samples = Arg(2, 20);
        var burstCount = Arg(3, 2000);
        var sections = (args.Length > 4 ? args[4] : "recheck,latency,burst,cold").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var build = args.Length > 5 ? args[5] : "bin";
        if (build is not ("bin" or "image") && !(build.EndsWith(".dll", StringComparison.Ordinal) && File.Exists(build)))
        {
            throw new InvalidOperationException($"build is \"{build}\": use \"bin\" (bin/Release), \"image\" (published as the Dockerfile does) or an existing MeshPortal.Web.dll");
        }

        var published = build == "image" ? Directory.CreateTempSubdirectory("meshportal-bench-pg-publish-").FullName : null;
        portalDll = build switch
        {
            "image" => await ColdStartBenchmarks.PublishAsImageDoesAsync(published!),
            "bin" => typeof(MeshPortal.Web.Hosting.MeshPortalServices).Assembly.Location,
            _ => Path.GetFullPath(build),
        };
        Console.WriteLine($"postgres: portal build {build} ({portalDll})");
        Setup[] setups = [new("SQLite", DatabaseProvider.Sqlite, 1), new("PostgreSQL x1", DatabaseProvider.Postgres, 1), new("PostgreSQL x2", DatabaseProvider.Postgres, 2)];

        await using var pg = await LocalPostgres.StartAsync();
        var options = new SimulatorOptions { Clusters = clusterCount, AdminEndpoint = false };
        // Every setup exports services of its own from cluster-1 (a new database does not know what an earlier one pushed).
        options.ClusterOverrides.Add(new SimulatedClusterOptions { Name = "cluster-1", ExtraServices = setups.Length * (samples + 2 + (BurstRounds * burstCount)) });
        var watch = Stopwatch.StartNew();
        await using var mesh = await SimulatedMesh.StartAsync(options);
        Console.WriteLine($"start {clusterCount} simulated clusters: {watch.ElapsedMilliseconds} ms; PostgreSQL: {pg.Description}");

        var recheck = new List<string>();
        foreach (var setup in setups.Where(_ => sections.Contains("recheck")))
        {
            ClearPushed(mesh);
            recheck.Add(await RecheckAsync(setup, pg, mesh, exportCount));
        }

        var latency = new List<string>();
        var next = 1;
        foreach (var setup in setups.Where(_ => sections.Contains("latency")))
        {
            ClearPushed(mesh);
            latency.Add(await LatencyAsync(setup, pg, mesh, exportCount, samples, next));
            next += samples + 2;
        }

        var burst = new List<string>();
        var cold = new List<string>();
        next = setups.Length * (samples + 2) + 1;
        foreach (var setup in setups.Where(_ => sections.Contains("burst") || sections.Contains("cold")))
        {
            ClearPushed(mesh);
            var (burstLine, coldLine) = await BurstAndColdStartAsync(setup, pg, mesh, burstCount, next, sections);
            burst.Add(burstLine);
            cold.Add(coldLine);
            next += BurstRounds * burstCount;
        }

        Console.WriteLine();
        Console.WriteLine($"== {clusterCount} clusters x {exportCount} exports (each consumed by every other cluster)");
        Console.WriteLine("no-op re-check (wall ms: one job per cluster over the replicas | batch on one replica; writes):");
        recheck.ForEach(Console.WriteLine);
        Console.WriteLine($"export saved -> ServiceEntry in its consumer ({samples} saves, alternating replicas), ms:");
        latency.ForEach(Console.WriteLine);
        Console.WriteLine($"burst of {burstCount} export creates from 8 clients over the replicas (goal >= 100/s, p99 <= 500 ms, 0 false conflicts, <= 1024 MB per process):");
        burst.Where(l => l.Length > 0).ToList().ForEach(Console.WriteLine);
        Console.WriteLine($"cold start to /readyz over that data (one process; goal <= 3000 ms):");
        cold.Where(l => l.Length > 0).ToList().ForEach(Console.WriteLine);
        Console.WriteLine($"(2 cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        if (published is not null)
        {
            Directory.Delete(published, recursive: true);
        }

        return 0;
    }

    /// <summary>
    /// Deletes what an earlier setup's portal pushed (every object with the managed-by label), so that each setup starts from the
    /// clusters as installed: a new database does not know those objects but its portal owns them by their label, and its
    /// first pushes would prune them (4,000 deletes per cluster during the next setup's burst, until stop 31).
    /// </summary>
    private static void ClearPushed(SimulatedMesh mesh)
    {
        var deleted = 0;
        foreach (var cluster in mesh.Clusters)
        {
            foreach (var type in ManagedTypes.All.Where(t => t.Kind != "Namespace"))
            {
                IReadOnlyList<System.Text.Json.Nodes.JsonObject> items;
                try
                {
                    items = cluster.List(type.Group, type.Plural);
                }
                catch (ArgumentException)
                {
                    continue; // a type this cluster's version does not serve
                }

                foreach (var item in items)
                {
                    var metadata = item["metadata"]!;
                    if ((string?)metadata["labels"]?[ManagedLabels.ManagedBy] == ManagedLabels.ManagedByValue)
                    {
                        deleted += cluster.Delete(type.Group, type.Plural, (string?)metadata["namespace"], (string)metadata["name"]!) ? 1 : 0;
                    }
                }
            }
        }

        Console.Error.WriteLine($"postgres: deleted {deleted} objects an earlier setup pushed");
    }

    // ---------- (1) no-op re-check, in process: one service provider per "replica", each with its own pools and locks.

    private static async Task<string> RecheckAsync(Setup setup, LocalPostgres pg, SimulatedMesh mesh, int exportCount)
    {
        var directory = Directory.CreateTempSubdirectory("meshportal-bench-pg-").FullName;
        var database = await DatabaseAsync(setup, pg, directory);
        var protection = new EphemeralDataProtectionProvider();
        var replicas = Enumerable.Range(0, setup.Replicas).Select(_ => Replica(database, directory, protection)).ToList();
        try
        {
            var factory = replicas[0].GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
            await using (var db = await factory.CreateDbContextAsync())
            {
                await db.Database.MigrateAsync();
            }

            var ids = await SeedAsync(factory, replicas[0].GetRequiredService<SecretProtector>(), mesh, exportCount);
            var watch = Stopwatch.StartNew();
            var initial = await PerClusterAsync(replicas, ids);
            Console.WriteLine($"{setup.Name}: first push {watch.ElapsedMilliseconds} ms ({initial.Sum(r => r.Writes)} writes, {initial.Count(r => !r.Succeeded)} failed)");

            var versions = mesh.Clusters.Select(c => c.ResourceVersion).ToList();
            var perCluster = new List<long>();
            var writes = 0;
            for (var i = 0; i < 2; i++)
            {
                watch.Restart();
                var results = await PerClusterAsync(replicas, ids);
                perCluster.Add(watch.ElapsedMilliseconds);
                writes += results.Sum(r => r.Writes) + results.Count(r => !r.Succeeded);
            }

            watch.Restart();
            await using (var scope = replicas[0].CreateAsyncScope())
            {
                var batch = await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileManyAsync(ids, "bench", CancellationToken.None);
                writes += batch.Sum(r => r.Writes) + batch.Count(r => !r.Succeeded);
            }

            var batchMs = watch.ElapsedMilliseconds;
            var moved = mesh.Clusters.Select((c, i) => c.ResourceVersion != versions[i]).Count(m => m);
            return $"  {setup.Name,-14} per-cluster jobs {perCluster[0],6} / {perCluster[1],6} ms | batch {batchMs,6} ms | {writes} writes or failures, {moved} clusters changed";
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ServiceProvider Replica(DatabaseOptions database, string directory, IDataProtectionProvider protection)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MeshPortal:Clusters:RequestTimeoutSeconds"] = "30",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(protection);
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<ClusterEvents>();
        services.AddDbContextFactory<MeshPortalDbContext>(o => DatabaseSetup.Configure(o, database, directory));
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton<IClusterLockStore>(new PostgresAdvisoryLocks(database.ConnectionString!));
        }

        services.AddClusterAccess(config);
        services.AddReconciliation(config);
        services.AddExports(config);
        services.AddTrust(config);
        return services.BuildServiceProvider();
    }

    private static async Task<List<SyncResult>> PerClusterAsync(List<ServiceProvider> replicas, List<int> ids)
    {
        var results = new System.Collections.Concurrent.ConcurrentBag<SyncResult>();
        await Task.WhenAll(replicas.Select((replica, r) => Parallel.ForEachAsync(
            ids.Where((_, i) => i % replicas.Count == r), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            {
                await using var scope = replica.CreateAsyncScope();
                results.Add(await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileAsync(id, "bench", ct));
            })));
        return [.. results];
    }

    private static async Task<List<int>> SeedAsync(IDbContextFactory<MeshPortalDbContext> factory, SecretProtector protector, SimulatedMesh mesh, int exportCount)
    {
        await using var db = await factory.CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var clusters = mesh.Clusters.Select(c => new ClusterEntity
        {
            Name = c.Name, Context = c.Name, Server = c.Server.ToString(), IstioVersion = c.IstioVersion, KubernetesVersion = c.KubernetesVersion,
            GatewayAddress = c.GatewayLoadBalancerIp ?? c.NodeIp, DnsProvider = "coredns", IstioCoreDnsAddress = "10.96.0.53",
            ProtectedKubeconfig = protector.ProtectKubeconfig(c.KubeconfigYaml), LastCheckPassed = true, LastCheckedAt = now, CreatedAt = now, UpdatedAt = now,
        }).ToList();
        using (var access = new ServiceCollection().AddLogging().AddClusterAccess(null).BuildServiceProvider())
        {
            foreach (var (entity, cluster) in clusters.Zip(mesh.Clusters))
            {
                await BenchFacts.ApplyAsync(access.GetRequiredService<IClusterConnectionChecker>(), entity, cluster);
            }
        }

        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        var ids = clusters.Select(c => c.Id).ToList();
        for (var i = 0; i < exportCount; i++)
        {
            db.Exports.Add(new ExportEntity
            {
                ClusterId = ids[i % ids.Count], Namespace = "bench", Service = $"svc{i}", Host = ExportNames.Host($"svc{i}", "bench"),
                Address = $"240.0.{i / 250}.{i % 250 + 1}", AllConsumers = true, CreatedBy = "bench", CreatedAt = now, UpdatedAt = now,
                Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
            });
        }

        await db.SaveChangesAsync();
        return ids;
    }

    private static async Task<DatabaseOptions> DatabaseAsync(Setup setup, LocalPostgres pg, string directory) =>
        setup.Provider == DatabaseProvider.Postgres
            ? new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await pg.CreateDatabaseAsync() }
            : new DatabaseOptions();

    // ---------- (2) export -> present, through real portal processes.

    private static async Task<string> LatencyAsync(Setup setup, LocalPostgres pg, SimulatedMesh mesh, int exportCount, int samples, int first)
    {
        var directory = Directory.CreateTempSubdirectory("meshportal-bench-pgl-").FullName;
        var database = await DatabaseAsync(setup, pg, directory);
        var portals = new List<Process>();
        try
        {
            var env = PortalEnvironment(setup, database, directory);
            var apis = await StartReplicasAsync(setup, env, portals);

            // The scale in the database, seeded the way ExportService saves it, with the portal's own key ring.
            await using (var seeder = Seeder(database, directory))
            {
                await SeedAsync(seeder.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>(), seeder.GetRequiredService<SecretProtector>(), mesh, exportCount);
            }

            var consumer = mesh.Clusters[1];
            var ms = new List<double>();
            for (var i = 0; i < samples + 2; i++)
            {
                var service = $"svc-{first + i:D4}";
                var api = apis[i % apis.Count];
                var watch = Stopwatch.StartNew();
                var response = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = "cluster-1", @namespace = "extra", service, consumers = new[] { consumer.Name } });
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"export {service}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                await UntilAsync(() => Task.FromResult(consumer.Get("networking.istio.io", "serviceentries", "meshportal-exports", ExportNames.ServiceEntryName(service, "extra")) is not null),
                    TimeSpan.FromSeconds(120), $"{service} in {consumer.Name}");
                if (i >= 2)
                {
                    ms.Add(watch.Elapsed.TotalMilliseconds); // the first two warm the processes up
                }
            }

            apis.ForEach(a => a.Dispose());
            var sorted = ms.Order().ToList();
            double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
            return $"  {setup.Name,-14} p50 {P(0.5),6:F0}  p90 {P(0.9),6:F0}  max {sorted[^1],6:F0}  min {sorted[0],6:F0}";
        }
        finally
        {
            foreach (var process in portals)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                process.Dispose();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    // ---------- (3) create burst and (4) cold start, through real portal processes.

    private static async Task<(string Burst, string Cold)> BurstAndColdStartAsync(Setup setup, LocalPostgres pg, SimulatedMesh mesh, int count, int first, HashSet<string> sections)
    {
        var directory = Directory.CreateTempSubdirectory("meshportal-bench-pgb-").FullName;
        var database = await DatabaseAsync(setup, pg, directory);
        var portals = new List<Process>();
        try
        {
            var env = PortalEnvironment(setup, database, directory);
            var apis = await StartReplicasAsync(setup, env, portals);

            await using (var seeder = Seeder(database, directory))
            {
                await SeedAsync(seeder.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>(), seeder.GetRequiredService<SecretProtector>(), mesh, 0);
            }

            var burstLine = "";
            if (sections.Contains("burst"))
            {
                var drained = "";
                for (var round = 0; round < BurstRounds; round++)
                {
                    if (round > 0)
                    {
                        drained = $"; the first burst's pushes were done {await UntilIdleAsync(portals):F0} s after it";
                    }

                    var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
                    var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
                    var peaks = new double[portals.Count];
                    using var sampling = new CancellationTokenSource();
                    var sampler = Task.Run(async () =>
                    {
                        while (!sampling.IsCancellationRequested)
                        {
                            for (var p = 0; p < portals.Count; p++)
                            {
                                peaks[p] = Math.Max(peaks[p], CreateBurstBenchmarks.ResidentMb(portals[p].Id));
                            }

                            await Task.Delay(100, CancellationToken.None);
                        }
                    });
                    var next = 0;
                    var portalCpu = portals.Sum(p => p.TotalProcessorTime.TotalSeconds);
                    var serverCpu = CreateBurstBenchmarks.PostgresCpuSeconds();
                    var selfCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
                    var watch = Stopwatch.StartNew();
                    await Task.WhenAll(Enumerable.Range(0, 8).Select(async client =>
                    {
                        var api = apis[client % apis.Count];
                        int i;
                        while ((i = Interlocked.Increment(ref next)) <= count)
                        {
                            var service = $"svc-{first + (round * count) + i - 1:D4}";
                            var one = Stopwatch.StartNew();
                            using var response = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = "cluster-1", @namespace = "extra", service, consumers = new[] { "cluster-2", "cluster-3" } });
                            latencies.Add(one.Elapsed.TotalMilliseconds);
                            answers.AddOrUpdate(response.StatusCode == HttpStatusCode.Created ? "201" : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                        }
                    }));
                    var seconds = watch.Elapsed.TotalSeconds;
                    portalCpu = portals.Sum(p => { p.Refresh(); return p.TotalProcessorTime.TotalSeconds; }) - portalCpu;
                    serverCpu = CreateBurstBenchmarks.PostgresCpuSeconds() - serverCpu;
                    selfCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - selfCpu;
                    await sampling.CancelAsync();
                    await sampler;
                    var sorted = latencies.Order().ToList();
                    double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
                    burstLine += string.Create(CultureInfo.InvariantCulture,
                        $"{(round == 0 ? "" : "\n")}  {setup.Name,-14} {(round == 0 ? "started" : "warm"),-7} {answers.GetValueOrDefault("201") / seconds,5:F0}/s  p50 {P(0.5),5:F0}  p99 {P(0.99),6:F0}  max {sorted[^1],6:F0} ms; answers {string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}"))}; " +
                        $"peak resident {string.Join(" / ", peaks.Select(p => $"{p:F0}"))} MB; CPU-s portal {portalCpu:F1}{(setup.Provider == DatabaseProvider.Postgres ? $", PostgreSQL {serverCpu:F1}" : "")}, clients and simulated clusters {selfCpu:F1}; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}{drained}");
                }
            }

            apis.ForEach(a => a.Dispose());
            var coldLine = "";
            if (sections.Contains("cold"))
            {
                await StopAsync(portals);
                var times = new List<double>();
                for (var run = 0; run < 3; run++)
                {
                    var watch = Stopwatch.StartNew();
                    var (process, address) = StartPortal(env);
                    portals.Add(process);
                    using var api = Api(address);
                    await UntilAsync(async () => await ReadyAsync(api), TimeSpan.FromSeconds(120), "portal ready");
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    await StopAsync(portals);
                }

                coldLine = string.Create(CultureInfo.InvariantCulture,
                    $"  {setup.Name,-14} median {times.Order().ElementAt(1),6:F0} ms (runs {string.Join(", ", times.Select(t => $"{t:F0}"))}); load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            }

            return (burstLine, coldLine);
        }
        finally
        {
            await StopAsync(portals);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Waits until the portal processes are idle: less than 10 % of a core together over 3 s in a row (the pushes a burst
    /// caused are done; the job server's polling stays below that). Returns the seconds waited.
    /// </summary>
    private static async Task<double> UntilIdleAsync(List<Process> portals)
    {
        var watch = Stopwatch.StartNew();
        double Cpu() => portals.Sum(p =>
        {
            p.Refresh();
            return p.TotalProcessorTime.TotalSeconds;
        });
        for (var quiet = 0; quiet < 3;)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("the portals did not become idle within 5 minutes of the burst");
            }

            var before = Cpu();
            await Task.Delay(1000);
            quiet = Cpu() - before < 0.1 ? quiet + 1 : 0;
        }

        return watch.Elapsed.TotalSeconds - 3;
    }

    /// <summary>The setup's portal processes (added to <paramref name="portals"/> for clean-up), each answering /healthz.</summary>
    private static async Task<List<HttpClient>> StartReplicasAsync(Setup setup, Dictionary<string, string> env, List<Process> portals)
    {
        var apis = new List<HttpClient>();
        for (var r = 0; r < setup.Replicas; r++)
        {
            var (process, address) = StartPortal(env);
            portals.Add(process);
            apis.Add(Api(address));
            await UntilAsync(async () => await HealthyAsync(apis[^1]), TimeSpan.FromSeconds(120), "portal healthy");
        }

        return apis;
    }

    private static Dictionary<string, string> PortalEnvironment(Setup setup, DatabaseOptions database, string directory) => new()
    {
        ["MeshPortal__Replicas"] = setup.Replicas.ToString(CultureInfo.InvariantCulture),
        ["MeshPortal__Database__Provider"] = setup.Provider.ToString(),
        ["MeshPortal__Database__ConnectionString"] = database.ConnectionString ?? "",
        ["MeshPortal__DataDirectory"] = directory,
        ["MeshPortal__Bootstrap__AdminPassword"] = "Correct-Horse-Battery-7",
        ["MeshPortal__Bootstrap__AdminToken"] = Token,
        ["MeshPortal__Jobs__ClusterCheckCron"] = "",
        ["MeshPortal__Sync__Cron"] = "",
        ["MeshPortal__Probes__Cron"] = "",
        ["MeshPortal__RateLimits__ApiPerMinute"] = "0",
        ["MeshPortal__Clusters__RequestTimeoutSeconds"] = "30",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static HttpClient Api(Uri address)
    {
        var api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return api;
    }

    private static async Task StopAsync(List<Process> portals)
    {
        foreach (var process in portals)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        portals.Clear();
    }

    private static async Task<bool> ReadyAsync(HttpClient api)
    {
        try
        {
            return (await api.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Writes clusters and exports as the portal would, protecting kubeconfigs with the portal's key ring.</summary>
    private static ServiceProvider Seeder(DatabaseOptions database, string directory)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDbContextFactory<MeshPortalDbContext>(o => DatabaseSetup.Configure(o, database, directory));
        var protection = services.AddDataProtection().SetApplicationName("MeshPortal");
        if (database.Provider == DatabaseProvider.Postgres)
        {
            protection.PersistKeysToDbContext<MeshPortalDbContext>();
        }
        else
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys")));
        }

        services.AddSingleton<SecretProtector>();
        return services.BuildServiceProvider();
    }

    private static (Process Process, Uri Address) StartPortal(Dictionary<string, string> env)
    {
        var port = FreePort();
        var dll = portalDll;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine("portal: " + line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, new Uri($"http://127.0.0.1:{port}"));
    }

    private static async Task<bool> HealthyAsync(HttpClient api)
    {
        try
        {
            return (await api.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not within {timeout}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>A PostgreSQL server for the run: the given one, or Debian's binaries into a temp directory.</summary>
    internal sealed class LocalPostgres : IAsyncDisposable
    {
        private readonly string? directory;
        private readonly string? binaries;

        private LocalPostgres(string connectionString, string description, string? directory, string? binaries)
        {
            ConnectionString = connectionString;
            Description = description;
            this.directory = directory;
            this.binaries = binaries;
        }

        public string ConnectionString { get; }
        public string Description { get; }

        public static async Task<LocalPostgres> StartAsync()
        {
            if (Environment.GetEnvironmentVariable("MESHPORTAL_BENCH_POSTGRES") is { Length: > 0 } given)
            {
                return new LocalPostgres(given, "MESHPORTAL_BENCH_POSTGRES", null, null);
            }

            var binaries = Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
                : null;
            if (binaries is null)
            {
                throw new InvalidOperationException("No PostgreSQL: set MESHPORTAL_BENCH_POSTGRES or install the server (apt-get install postgresql).");
            }

            var directory = Directory.CreateTempSubdirectory("meshportal-bench-pgsrv-").FullName;
            var port = FreePort();
            if (Environment.UserName == "root")
            {
                await RunAsync(false, "chown", "postgres:postgres", directory);
            }

            var data = Path.Combine(directory, "data");
            await RunAsync(true, Path.Combine(binaries, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-locale", "-E", "UTF8");
            // Durable settings (fsync on): the figures should mean what a production server would do.
            await RunAsync(true, Path.Combine(binaries, "pg_ctl"), "-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300", "start");
            return new LocalPostgres($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Maximum Pool Size=100",
                $"local {Path.GetFileName(Path.GetDirectoryName(binaries))} (initdb, fsync on)", directory, binaries);
        }

        public async Task<string> CreateDatabaseAsync()
        {
            var name = "bench_" + Guid.NewGuid().ToString("N")[..12];
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
            return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
        }

        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            if (directory is not null && binaries is not null)
            {
                await RunAsync(true, Path.Combine(binaries, "pg_ctl"), "-D", Path.Combine(directory, "data"), "-m", "fast", "-w", "stop");
                Directory.Delete(directory, recursive: true);
            }
        }

        private static async Task RunAsync(bool asPostgres, string program, params string[] args)
        {
            var root = asPostgres && Environment.UserName == "root";
            var start = new ProcessStartInfo(root ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in root ? ["-u", "postgres", "--", program, .. args] : args)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await output}{await error}");
            }
        }
    }
}
