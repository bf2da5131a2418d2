using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using MeshPortal.Simulator;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Benchmarks;

/// <summary>
/// Reconciler figures: (1) pushing 500 ServiceEntries into one simulated cluster with <see cref="ClusterReconciler"/>
/// vs <c>kubectl apply --server-side -f</c> of the same rendered objects (skipped without /usr/bin/kubectl);
/// (2) a no-op re-check of N clusters × M exports (real planners, SQLite file): wall time and the number of writes (must be 0),
/// each push followed by the after-push steps the live portal runs (<see cref="IAfterPush"/>: export sources, reader tokens).
/// (3) with <c>multi-primary</c>: the same re-check on Istio 1.24 primaries (distinct cluster IDs, one mesh, DNS capture on),
/// where every cluster holds a remote secret for every other one (50 clusters = 2,450 remote secrets) besides the exports.
/// Usage: <c>reconcile [clusters=50] [exports=2000] [push=500] [global|multi-primary]</c>.
/// </summary>
internal static class ReconcileBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusters = Arg(0, 50);
        var objects = Arg(1, 2000);
        var push = Arg(2, 500);

        var multiPrimary = args.Length > 3 && args[3] == "multi-primary";
        if (!multiPrimary)
        {
            await PushAsync(push);
        }

        await RecheckAsync(clusters, objects, multiPrimary);
        return 0;
    }

    private static async Task PushAsync(int count)
    {
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1, AdminEndpoint = false });
        var cluster = mesh.Clusters[0];
        cluster.Put("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench-meshportal"}}""");
        cluster.Put("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench-kubectl"}}""");
        await using var bench = await Bench.StartAsync(mesh);

        // Warm-up (JIT, TLS, EF) on a handful of objects, then pruned again.
        bench.Source.Objects = [.. Entries("bench-meshportal", 5, 0)];
        await bench.SyncAsync(cluster.Name);
        bench.Source.Objects = [];
        await bench.SyncAsync(cluster.Name);

        bench.Source.Objects = [.. Entries("bench-meshportal", count, 0)];
        var watch = Stopwatch.StartNew();
        var result = await bench.SyncAsync(cluster.Name);
        var meshportalMs = watch.Elapsed.TotalMilliseconds;
        Console.WriteLine($"push {count} ServiceEntries, MeshPortal:   {meshportalMs,8:F0} ms (created {result.Created}, failed {result.Failed}, {result.Error ?? "ok"})");

        if (!File.Exists("/usr/bin/kubectl"))
        {
            Console.WriteLine("kubectl apply --server-side: skipped (/usr/bin/kubectl is missing)");
            return;
        }

        var dir = Directory.CreateTempSubdirectory("meshportal-bench-");
        try
        {
            var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, cluster.KubeconfigYaml);
            var yaml = new StringBuilder();
            foreach (var d in Entries("bench-kubectl", count, 0))
            {
                yaml.Append("---\n").Append(SyncDiffer.Stamp(d).Object.Body.ToJsonString()).Append('\n');
            }

            var file = Path.Combine(dir.FullName, "entries.yaml");
            await File.WriteAllTextAsync(file, yaml.ToString());
            // Warm kubectl's discovery cache the way a user's machine would have it.
            await KubectlAsync(kubeconfig, dir.FullName, "get", "serviceentries", "-n", "bench-kubectl");
            watch.Restart();
            var (exit, output) = await KubectlAsync(kubeconfig, dir.FullName, "apply", "--server-side", "-f", file);
            var kubectlMs = watch.Elapsed.TotalMilliseconds;
            var applied = output.Split('\n').Count(l => l.Contains("serverside-applied", StringComparison.Ordinal));
            Console.WriteLine($"push {count} ServiceEntries, kubectl SSA:  {kubectlMs,8:F0} ms (exit {exit}, {applied} applied)");
            Console.WriteLine($"MeshPortal / kubectl:                      {meshportalMs / kubectlMs,8:F2}x");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Steady state with the real desired-state sources (exports and trust planners over a SQLite file): N clusters, M
    /// exports in the database (spread over the clusters, each consumed by every other cluster), pushed once, then
    /// re-checked twice: as one push job per cluster (16 Hangfire workers) and as the batch the recurring job runs. The batch's
    /// first run after a restart is compared with listing after a restart (new clients, TLS handshakes: what any first contact
    /// pays), and with the warm listing; the steady-state batches with the warm listing.
    /// </summary>
    private static async Task RecheckAsync(int clusterCount, int exportCount, bool multiPrimary)
    {
        var watch = Stopwatch.StartNew();
        var options = new SimulatorOptions { Clusters = clusterCount, AdminEndpoint = false };
        if (multiPrimary)
        {
            options.ClusterOverrides = [.. Enumerable.Range(1, clusterCount).Select(i => new SimulatedClusterOptions
            {
                Name = $"cluster-{i}", IstioVersion = "1.24.0", ClusterId = $"cluster-{i}", MeshId = "mesh1", DnsCapture = true,
            })];
        }

        await using var mesh = await SimulatedMesh.StartAsync(options);
        await using var bench = await Bench.StartAsync(mesh, realSources: true);
        Console.WriteLine($"start {clusterCount} simulated clusters:            {watch.ElapsedMilliseconds,8} ms");
        watch.Restart();
        await bench.SeedExportsAsync(mesh, exportCount);
        Console.WriteLine($"insert {exportCount} exports into SQLite:          {watch.ElapsedMilliseconds,8} ms");

        watch.Restart();
        var initial = await bench.SyncAllAsync(mesh);
        Console.WriteLine($"initial push {clusterCount} clusters, {exportCount} exports: {watch.ElapsedMilliseconds,8} ms ({initial.Sum(r => r.Writes)} writes, {initial.Count(r => !r.Succeeded)} failed runs{FirstError(initial)})");
        if (multiPrimary)
        {
            // What the push job does after each push: read the reader token the cluster minted; then every peer gets its remote secrets.
            watch.Restart();
            await bench.RefreshReaderTokensAsync();
            var secrets = await bench.SyncAllAsync(mesh);
            var remoteSecrets = mesh.Clusters.Sum(c => c.List("", "secrets", "istio-system").Count(o => ((string?)o["metadata"]!["name"])!.StartsWith("istio-remote-secret-", StringComparison.Ordinal)));
            Console.WriteLine($"reader tokens + remote secrets push:        {watch.ElapsedMilliseconds,8} ms ({secrets.Sum(r => r.Writes)} writes, {remoteSecrets} remote secrets in the clusters{FirstError(secrets)})");
        }

        var versions = mesh.Clusters.Select(c => c.ResourceVersion).ToList();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        var perCluster = await bench.SyncAllAsync(mesh);
        cpu = Report("no-op re-check, one job per cluster:", watch.ElapsedMilliseconds, cpu, perCluster, mesh, versions);

        // The floor any re-check pays: list every cluster's ServiceEntries over HTTPS (simulator serving included), nothing else.
        watch.Restart();
        var listed = await bench.ListAllAsync(mesh);
        var floor1 = watch.ElapsedMilliseconds;
        cpu = Report("(floor) only listing the ServiceEntries:", floor1, cpu, [], mesh, versions);
        Console.WriteLine($"  ({listed} objects listed)");

        // The floor of a first contact after a restart: list the same ServiceEntries over new clients and connections (kubeconfig
        // parsed, TLS handshakes), which any first re-check after a restart pays too.
        await bench.RestartAsync();
        watch.Restart();
        await bench.ListAllAsync(mesh);
        var coldFloor = watch.ElapsedMilliseconds;
        cpu = Report("(floor) listing, first after restart:", coldFloor, cpu, [], mesh, versions);

        // A restart: a new process state over the same database (no in-memory caches, new connections to the clusters).
        await bench.RestartAsync();
        var batches = new List<long>();
        for (var i = 0; i <= 2; i++)
        {
            watch.Restart();
            var batch = await bench.SyncBatchAsync();
            batches.Add(watch.ElapsedMilliseconds);
            cpu = Report(i == 0 ? "no-op re-check, batch, first after restart:" : $"no-op re-check, batch (sync-all job) #{i}:", watch.ElapsedMilliseconds, cpu, batch, mesh, versions);
        }

        watch.Restart();
        await bench.ListAllAsync(mesh);
        var floor2 = watch.ElapsedMilliseconds;
        cpu = Report("(floor) only listing the ServiceEntries:", floor2, cpu, [], mesh, versions);
        var floor = (floor1 + floor2) / 2.0;
        Console.WriteLine($"re-check / listing: first after restart {batches[0] / (double)coldFloor:F2}x the listing after a restart ({coldFloor} ms; {batches[0] / floor:F2}x the warm listing), " +
            $"steady state {batches[1] / floor:F2}x and {batches[2] / floor:F2}x (goal <= 1.5x; listing {floor:F0} ms)");
        Console.WriteLine($"(2 cores; CPU = this process, simulator included; machine load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    }

    private static TimeSpan Report(string what, long ms, TimeSpan cpuBefore, IReadOnlyList<SyncResult> results, SimulatedMesh mesh, List<long> versions)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var moved = mesh.Clusters.Select((c, i) => c.ResourceVersion != versions[i]).Count(m => m);
        var afterPush = Interlocked.Exchange(ref Bench.AfterPushMs, 0);
        Console.WriteLine($"{what,-40} {ms,8} ms wall, {(cpu - cpuBefore).TotalMilliseconds,8:F0} ms CPU ({results.Sum(r => r.Writes)} writes, {results.Sum(r => r.Unchanged)} unchanged, " +
            $"{moved} clusters' resourceVersion moved, {results.Count(r => r.ComparisonSkipped)} skipped the comparison, {results.Count(r => !r.Succeeded)} failed runs{FirstError(results)}" +
            $"{(afterPush > 0 ? $"; after-push steps {afterPush} ms" : "")})");
        return cpu;
    }

    private static string FirstError(IReadOnlyList<SyncResult> results) =>
        results.FirstOrDefault(r => !r.Succeeded)?.Error is { } e ? $"; first error: {e}" : "";

    /// <summary>ServiceEntries in the exports planner's shape, one VIP and host each.</summary>
    private static IEnumerable<DesiredObject> Entries(string ns, int count, int offset)
    {
        for (var i = offset; i < offset + count; i++)
        {
            var host = $"svc{i}.bench.global";
            var body = JsonNode.Parse($$$"""
            {"metadata":{},"spec":{"hosts":["{{{host}}}"],"location":"MESH_INTERNAL","ports":[{"name":"http1","number":8000,"protocol":"http"}],
             "resolution":"DNS","addresses":["240.0.{{{i / 250}}}.{{{i % 250 + 1}}}"],"endpoints":[{"address":"203.0.113.2","ports":{"http1":15443}}],"exportTo":["*"]}}
            """)!.AsObject();
            yield return new DesiredObject(new ObjectRef("networking.istio.io", "v1alpha3", "serviceentries", "ServiceEntry", ns, $"svc{i}-bench-global"), body, $"export/{i}");
        }
    }

    private static async Task<(int Exit, string Output)> KubectlAsync(string kubeconfig, string cacheDir, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", Path.Combine(cacheDir, "cache") }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var err = await stderr;
        if (process.ExitCode != 0)
        {
            Console.WriteLine("kubectl: " + err.Split('\n').FirstOrDefault());
        }

        return (process.ExitCode, await stdout + err);
    }

    /// <summary>Pushes requested by the reader-token keeper are done by the benchmark itself, in rounds.</summary>
    private sealed class RecordingScheduler : ISyncScheduler
    {
        public void RequestSync(IEnumerable<int> clusterIds, string trigger)
        {
        }
    }

    private sealed class BenchSource : IDesiredStateSource, IClusterPlanner
    {
        public string Name => "bench";
        public List<DesiredObject> Objects { get; set; } = [];
        public Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct) => Task.FromResult<IClusterPlanner>(this);
        public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => [];
        public PlanContribution Plan(ClusterTarget cluster, LiveObjects live) => new(Objects, []);
    }

    private sealed class Bench(ServiceProvider provider, string directory, BenchSource source, Dictionary<string, int> ids, bool realSources) : IAsyncDisposable
    {
        /// <summary>The keys outlive a restart (the stored kubeconfigs are protected with them), like the portal's key ring.</summary>
        private static readonly IDataProtectionProvider Keys = new EphemeralDataProtectionProvider();

        public BenchSource Source => source;

        /// <summary>What a restart leaves: the database; every in-memory cache and connection starts again.</summary>
        public async Task RestartAsync()
        {
            await provider.DisposeAsync();
            provider = Build(directory, realSources, source);
        }

        private static ServiceProvider Build(string directory, bool realSources, BenchSource source)
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MeshPortal:Clusters:RequestTimeoutSeconds"] = "30",
            }).Build();
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton(Keys);
            services.AddSingleton<SecretProtector>();
            services.AddSingleton<ClusterEvents>();
            // The portal waits for SQLite's write lock too (Microsoft.Data.Sqlite retries a busy database until the command
            // timeout); 16 pushes at once on a loaded machine waited longer than the default 30 s and failed "database is locked".
            services.AddDbContextFactory<MeshPortalDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "bench.db")};Default Timeout=120"));
            services.AddClusterAccess(config);
            services.AddReconciliation(config);
            if (realSources)
            {
                services.AddExports(config);
                services.AddTrust(config);
                services.AddSingleton<ISyncScheduler, RecordingScheduler>(); // the benchmark pushes itself
                MeshPortal.Core.Features.MultiCluster.MultiClusterServiceCollectionExtensions.AddMultiCluster(services);
            }
            else
            {
                services.AddSingleton<IDesiredStateSource>(source);
            }

            return services.BuildServiceProvider();
        }

        public static async Task<Bench> StartAsync(SimulatedMesh mesh, bool realSources = false)
        {
            var directory = Directory.CreateTempSubdirectory("meshportal-bench-db-").FullName;
            var source = new BenchSource();
            var provider = Build(directory, realSources, source);
            var ids = new Dictionary<string, int>();
            await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
            await db.Database.EnsureCreatedAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            var protector = provider.GetRequiredService<SecretProtector>();
            foreach (var c in mesh.Clusters)
            {
                var entity = new ClusterEntity
                {
                    Name = c.Name, Context = c.Name, Server = c.Server.ToString(), IstioVersion = c.IstioVersion,
                    GatewayAddress = c.GatewayLoadBalancerIp ?? c.NodeIp, DnsProvider = "coredns", IstioCoreDnsAddress = "10.96.0.53",
                    ProtectedKubeconfig = protector.ProtectKubeconfig(c.KubeconfigYaml),
                };
                await BenchFacts.ApplyAsync(provider.GetRequiredService<IClusterConnectionChecker>(), entity, c);
                db.Clusters.Add(entity);
                await db.SaveChangesAsync();
                ids[c.Name] = entity.Id;
            }

            return new Bench(provider, directory, source, ids, realSources);
        }

        /// <summary>One push job (<see cref="PushClusterJob.RunAsync"/>): the push, then the after-push steps the live portal runs.</summary>
        public async Task<SyncResult> SyncAsync(string cluster)
        {
            await using var scope = provider.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileAsync(ids[cluster], "bench", CancellationToken.None);
            if (result.Succeeded)
            {
                await AfterPushAsync(scope.ServiceProvider, [result.ClusterId]);
            }

            return result;
        }

        /// <summary>What <see cref="PushClusterJob"/> runs after successful pushes (export sources, reader tokens).</summary>
        private static async Task AfterPushAsync(IServiceProvider services, IReadOnlyList<int> clusterIds)
        {
            var watch = Stopwatch.StartNew();
            foreach (var step in services.GetServices<IAfterPush>())
            {
                await step.AfterPushAsync(clusterIds, CancellationToken.None);
            }

            Interlocked.Add(ref AfterPushMs, watch.ElapsedMilliseconds);
        }

        /// <summary>Wall time spent in the after-push steps since the last read.</summary>
        public static long AfterPushMs;

        /// <summary>
        /// M exports straight into the database (as <see cref="ExportService"/> would save them, without reading each service
        /// from its cluster): services svc0..svcM-1 in namespace bench, spread round-robin over the clusters, consumed by all others.
        /// </summary>
        public async Task SeedExportsAsync(SimulatedMesh mesh, int count)
        {
            await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
            var clusterIds = mesh.Clusters.Select(c => ids[c.Name]).ToList();
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                db.Exports.Add(new ExportEntity
                {
                    ClusterId = clusterIds[i % clusterIds.Count], Namespace = "bench", Service = $"svc{i}", Host = ExportNames.Host($"svc{i}", "bench"),
                    Address = $"240.0.{i / 250}.{i % 250 + 1}", AllConsumers = true, CreatedBy = "bench", CreatedAt = now, UpdatedAt = now,
                    Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
                });
            }

            await db.SaveChangesAsync();
        }

        /// <summary>Lists the managed ServiceEntries of every cluster (8 at a time, like the batch), through the real gateway.</summary>
        public async Task<int> ListAllAsync(SimulatedMesh mesh)
        {
            var gateway = provider.GetRequiredService<MeshPortal.Core.Platform.Kubernetes.IClusterGateway>();
            var total = 0;
            await Parallel.ForEachAsync(mesh.Clusters, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
            {
                var connection = new MeshPortal.Core.Platform.Kubernetes.ClusterConnection(ids[c.Name], c.Name, c.KubeconfigYaml, c.Name, 1);
                var items = await gateway.ListManagedAsync(connection, "networking.istio.io", "v1alpha3", "serviceentries", ct);
                Interlocked.Add(ref total, items.Count);
            });
            return total;
        }

        /// <summary>What the recurring sync-all job does: one batch over every cluster.</summary>
        public async Task RefreshReaderTokensAsync()
        {
            var tokens = provider.GetRequiredService<MeshPortal.Core.Features.MultiCluster.ReaderTokenService>();
            foreach (var id in ids.Values)
            {
                await tokens.RefreshAsync(id, CancellationToken.None);
            }
        }

        public async Task<IReadOnlyList<SyncResult>> SyncBatchAsync()
        {
            await using var scope = provider.CreateAsyncScope();
            var results = await scope.ServiceProvider.GetRequiredService<ClusterReconciler>().ReconcileManyAsync([.. ids.Values], "bench", CancellationToken.None);
            await AfterPushAsync(scope.ServiceProvider, [.. results.Where(r => r.Succeeded).Select(r => r.ClusterId)]);
            return results;
        }

        /// <summary>Every cluster at once, 16 in flight (like a Hangfire server with 16 workers).</summary>
        public async Task<List<SyncResult>> SyncAllAsync(SimulatedMesh mesh)
        {
            var results = new System.Collections.Concurrent.ConcurrentBag<SyncResult>();
            await Parallel.ForEachAsync(mesh.Clusters, new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (c, _) => results.Add(await SyncAsync(c.Name)));
            return [.. results];
        }

        public async ValueTask DisposeAsync()
        {
            await provider.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
