using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Benchmarks;

/// <summary>
/// A burst of export creates through the API of the live portal (the real host in this process: Kestrel, SQLite, Hangfire,
/// the reconciler pushing what is created; the simulated clusters in their own process): E creates of distinct services
/// (each exported from one cluster, consumed by all others) from C clients at once. Prints creates per second, latency
/// p50/p95/p99/max, every non-201 answer by status (a 409 here is a false conflict: no two requests name the same
/// service), and the resident memory of this process (portal + clients) sampled every 100 ms from /proc/self/status
/// during the burst and until the pushes it caused are done.
/// With <c>postgres</c> as fourth argument the same portal runs on PostgreSQL (<c>MESHPORTAL_BENCH_POSTGRES</c>, else Debian's
/// server started in a temp directory, as the <c>postgres</c> suite does): the same figure, database apart.
/// <c>MESHPORTAL_BENCH_POSTGRES_EXTRA</c> is appended to the portal's connection string (e.g. <c>;Max Auto Prepare=64</c>).
/// With R rounds (fifth argument) the burst runs R times in the same process, each creating E new exports: the first
/// measures a portal that just started (its code still being compiled to its final tier), the later ones a warm portal.
/// Usage: <c>create-burst [clusters=3] [exports=2000] [clients=8] [sqlite|postgres] [rounds=1]</c>.
/// </summary>
internal static class CreateBurstBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 3);
        var exportCount = Arg(1, 2000);
        var clients = Arg(2, 8);
        var postgres = args.Length > 3 && args[3] == "postgres";
        var rounds = Arg(4, 1);
        string Round(int r) => rounds > 1 ? $"round {r + 1} of {rounds}: " : "";

        using var profile = new DbCommandProfile();
        var directory = Directory.CreateTempSubdirectory("meshportal-burst-").FullName;
        using var simulator = await ProbeCycleBenchmarks.StartSimulatorAsync(directory, clusterCount, exportCount * rounds);
        try
        {
            var kubeconfig = await File.ReadAllTextAsync(Path.Combine(directory, "simulator-kubeconfig"));
            var names = Enumerable.Range(1, clusterCount).Select(i => $"cluster-{i}").ToList();
            await using var pg = postgres ? await PostgresBenchmarks.LocalPostgres.StartAsync() : null;
            var overrides = new Dictionary<string, string?>();
            if (pg is not null)
            {
                overrides["MeshPortal:Database:Provider"] = "Postgres";
                overrides["MeshPortal:Database:ConnectionString"] = await pg.CreateDatabaseAsync() + Environment.GetEnvironmentVariable("MESHPORTAL_BENCH_POSTGRES_EXTRA");
                Console.WriteLine($"create-burst: PostgreSQL {pg.Description}");
            }

            await using var app = await ProbeCycleBenchmarks.StartPortalAsync(directory, overrides);
            using var api = Client(app);
            foreach (var name in names)
            {
                var registered = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig, context = name });
                if (!registered.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"register {name}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
                }
            }

            var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
            await ProbeCycleBenchmarks.UntilAsync(async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                return await db.Clusters.CountAsync(c => c.LastCheckPassed == true && c.GatewayAddress != null) == clusterCount;
            }, TimeSpan.FromMinutes(10));
            await ProbeCycleBenchmarks.UntilAsync(() => Task.FromResult(ProbeCycleBenchmarks.QueueEmpty(app)), TimeSpan.FromMinutes(5), 200);
            var baseline = ResidentMb();
            Console.WriteLine($"create-burst: {clusterCount} clusters registered and checked; resident memory before the burst {baseline:0} MB; load {Load()}");

            // A later round measures the same portal warm (the JIT's tiering done), with services not exported yet.
            for (var round = 0; round < rounds; round++)
            {
                // Service i (svc-000i exists in every simulated cluster) is exported from cluster (i mod N): no two requests collide.
                var next = 0;
                var latencies = new ConcurrentBag<double>();
                var slowest = new ConcurrentBag<(DateTimeOffset Sent, double Ms)>();
                var statuses = new ConcurrentDictionary<string, int>();
                var peak = ResidentMb();
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        var mb = ResidentMb();
                        if (mb > peak)
                        {
                            peak = mb;
                        }

                        try
                        {
                            await Task.Delay(100, sampling.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                });

                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var serverCpu = PostgresCpuSeconds();
                var (pause, gen2, gen1) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), GC.CollectionCount(1));
                var burstStarted = DateTimeOffset.UtcNow;
                profile.Clear();
                profile.Recording = true;
                var burst = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
                {
                    using var client = Client(app);
                    int i;
                    while ((i = Interlocked.Increment(ref next)) <= exportCount)
                    {
                        var cluster = names[(i - 1) % clusterCount];
                        var watch = Stopwatch.StartNew();
                        using var response = await client.PostAsJsonAsync("/api/v1/exports", new { cluster, @namespace = "extra", service = $"svc-{(round * exportCount) + i:D4}" });
                        latencies.Add(watch.Elapsed.TotalMilliseconds);
                        slowest.Add((DateTimeOffset.UtcNow - watch.Elapsed, watch.Elapsed.TotalMilliseconds));
                        var key = response.StatusCode == HttpStatusCode.Created ? "201" : $"{(int)response.StatusCode} ({First(await response.Content.ReadAsStringAsync())})";
                        statuses.AddOrUpdate(key, 1, (_, n) => n + 1);
                    }
                }));
                var seconds = burst.Elapsed.TotalSeconds;
                var burstCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                serverCpu = PostgresCpuSeconds() - serverCpu;
                var gc = $"GC paused the process {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms ({GC.CollectionCount(1) - gen1} gen1, {GC.CollectionCount(2) - gen2} gen2 collections)";
                profile.Recording = false;
                var burstEnded = DateTimeOffset.UtcNow;
                var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime; // to find the burst in a trace of this process
                var peakDuringBurst = peak;

                // The pushes the burst asked for, until the job queue stays empty (checked over 3 s).
                var settle = Stopwatch.StartNew();
                for (var quiet = 0; quiet < 15; quiet = ProbeCycleBenchmarks.QueueEmpty(app) ? quiet + 1 : 0)
                {
                    await Task.Delay(200);
                }

                var settled = settle.Elapsed.TotalSeconds;
                await sampling.CancelAsync();
                await sampler;
                int stored;
                List<(DateTimeOffset StartedAt, DateTimeOffset FinishedAt)> pushes;
                await using (var db = await dbFactory.CreateDbContextAsync())
                {
                    stored = await db.Exports.CountAsync();
                    pushes = [.. (await db.SyncRuns.AsNoTracking().Select(r => new { r.StartedAt, r.FinishedAt }).ToListAsync())
                        .Where(r => r.StartedAt >= burstStarted && r.StartedAt <= burstEnded).Select(r => (r.StartedAt, r.FinishedAt))];
                }

                var sorted = latencies.Order().ToList();
                double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
                var created = statuses.GetValueOrDefault("201");
                var falseConflicts = statuses.Where(s => s.Key.StartsWith("409", StringComparison.Ordinal)).Sum(s => s.Value);
                Console.WriteLine($"create-burst: {Round(round)}{exportCount} creates from {clients} clients in {seconds:0.0} s: {created / seconds:0} creates/s (goal >= 100); " +
                    $"latency p50 {P(0.50):0} ms, p95 {P(0.95):0} ms, p99 {P(0.99):0} ms (goal <= 500), max {sorted[^1]:0} ms; portal CPU {burstCpu:0.0} s" +
                    (postgres ? $", PostgreSQL server CPU {serverCpu:0.0} s" : "") + $"; {gc}");
                Console.WriteLine($"create-burst: answers {string.Join(", ", statuses.OrderByDescending(s => s.Value).Select(s => $"{s.Key}: {s.Value}"))}; " +
                    $"false conflicts {falseConflicts} (goal 0); {stored} exports stored");
                Console.WriteLine($"create-burst: resident memory peak {peakDuringBurst:0} MB during the burst, {peak:0} MB until its pushes were done ({settled:0} s later) (goal <= 1024); " +
                    $"now {ResidentMb():0} MB; load {Load()}; the burst ran {(sinceStart.TotalSeconds - seconds):0.0}-{sinceStart.TotalSeconds:0.0} s after this process started");
                // Where the tail comes from: how many of the slowest 1 % ran while a push of any cluster was running.
                var tail = slowest.OrderByDescending(r => r.Ms).Take(Math.Max(1, exportCount / 100)).ToList();
                var duringPush = tail.Count(r => pushes.Any(p => p.StartedAt < r.Sent.AddMilliseconds(r.Ms) && p.FinishedAt > r.Sent));
                Console.WriteLine($"create-burst: of the slowest {tail.Count} creates ({tail[^1].Ms:0}-{tail[0].Ms:0} ms), {duringPush} overlapped a push");
                Console.WriteLine($"create-burst: {pushes.Count} pushes started during the burst, {pushes.Sum(p => (p.FinishedAt - p.StartedAt).TotalSeconds):0.0} s of push time; " +
                    $"{profile.Total} SQL commands during the burst ({(double)profile.Total / Math.Max(1, exportCount):0.0} per create), {profile.Errors} failed; by total time:");
                foreach (var line in profile.Top(12).Concat(profile.Transactions()).Concat(profile.Failures.Select(f => $"  failed: {f}")))
                {
                    Console.WriteLine(line);
                }
            }
        }
        finally
        {
            simulator.Kill(entireProcessTree: true);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may hold the file a moment longer; the temp folder is cleaned by the OS.
            }
        }

        return 0;
    }

    private static HttpClient Client(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        var client = new HttpClient { BaseAddress = ProbeCycleBenchmarks.Address(app), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProbeCycleBenchmarks.Token);
        return client;
    }

    /// <summary>VmRSS of this process in MB.</summary>
    internal static double ResidentMb(int? pid = null)
    {
        foreach (var line in File.ReadLines(pid is { } p ? $"/proc/{p}/status" : "/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    /// <summary>CPU seconds used so far by this machine's running PostgreSQL processes (the server's backends for the portal's pooled connections).</summary>
    internal static double PostgresCpuSeconds()
    {
        var ticks = 0L;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "postgres")
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }

        return ticks / 100.0; // USER_HZ
    }

    private static string First(string body) => body.Length <= 120 ? body : body[..120];

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
