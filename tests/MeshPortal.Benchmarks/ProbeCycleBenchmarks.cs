using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Benchmarks;

/// <summary>
/// The full probe cycle in the live portal: the real portal host in this process (Kestrel, SQLite files, Hangfire on SQLite, its
/// real jobs), N simulated clusters registered and checked through the API, E exports (every other cluster consumes each) created
/// through the API and pushed by the reconciler. A cycle is started as "Probe now" does (the fan-out job, one job per consumer
/// cluster: exec, classify, store latest + change points + hourly roll-ups, publish the live event) and timed until every latest row carries this cycle's
/// time and the job queue is empty. Then the portal's CPU is sampled while nothing runs between cycles. The simulated clusters run in
/// their own process (the Release build of src/MeshPortal.Simulator.Cli), so the portal's CPU is the portal's; the simulator's is
/// printed beside it.
/// Trust: by default the portal's mesh root exists first and every simulated cluster is installed with <c>cacerts</c> from it (the
/// seed's order, as the demo and the end-to-end probe tests do), so cross-cluster mTLS works and the probes take the success path
/// (Ok with a latency). <c>separate</c> installs each cluster on its own self-signed root, the failing path (every result Tls) that
/// this benchmark measured until stop 28. Each cycle prints how many results of each status it stored and their latencies.
/// Usage: <c>probe-cycle [clusters=50] [exports=200] [cycles=3] [idleSeconds=30] [shared|separate]</c>.
/// </summary>
internal static class ProbeCycleBenchmarks
{
    internal const string Token = "mp_bench-bootstrap-token-0123456789abcdefghijklmnop";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 50);
        var exportCount = Arg(1, 200);
        var cycles = Arg(2, 3);
        var idleSeconds = Arg(3, 30);
        var trust = args.Length > 4 ? args[4] : "shared";
        if (trust is not ("shared" or "separate"))
        {
            Console.Error.WriteLine($"probe-cycle: trust \"{trust}\" is neither \"shared\" (one root: probes succeed) nor \"separate\" (a root per cluster: probes fail Tls)");
            return 2;
        }

        var setup = Stopwatch.StartNew();
        var directory = Directory.CreateTempSubdirectory("meshportal-probecycle-").FullName;
        // The portal first, so that its mesh root exists before the clusters are installed with cacerts from it (the seed's order).
        var app = await StartPortalAsync(directory);
        Process? simulator = null;
        try
        {
            simulator = trust == "shared"
                ? await StartSimulatorAsync(directory, clusterCount, exportCount, ["--config", await SharedRootConfigAsync(app, directory)])
                : await StartSimulatorAsync(directory, clusterCount, exportCount);
            var kubeconfig = await File.ReadAllTextAsync(Path.Combine(directory, "simulator-kubeconfig"));
            var names = Enumerable.Range(1, clusterCount).Select(i => $"cluster-{i}").ToList();
            using var api = new HttpClient { BaseAddress = Address(app), Timeout = TimeSpan.FromMinutes(5) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            foreach (var name in names)
            {
                var registered = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig, context = name });
                if (!registered.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"register {name}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
                }
            }

            var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
            await UntilAsync(async () =>
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                return await db.Clusters.CountAsync(c => c.LastCheckPassed == true && c.GatewayAddress != null) == clusterCount;
            }, TimeSpan.FromMinutes(10));

            // A .global host is exported from one cluster only: service i (svc-000i exists in every cluster) comes from cluster (i mod N).
            var created = 0;
            for (var i = 1; i <= exportCount; i++)
            {
                var cluster = names[(i - 1) % clusterCount];
                var response = await api.PostAsJsonAsync("/api/v1/exports", new { cluster, @namespace = "extra", service = $"svc-{i:D4}" });
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"export {cluster}/svc-{i:D4}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                created++;
            }

            // The reconciler's pushes are done when the job queue stays empty a while (checked over 3 s).
            for (var quiet = 0; quiet < 15; quiet = QueueEmpty(app) ? quiet + 1 : 0)
            {
                await Task.Delay(200);
            }

            Console.WriteLine($"probe-cycle: set-up ({clusterCount} clusters registered and checked, {created} exports created and pushed, trust {trust}) {setup.Elapsed.TotalSeconds:0} s; load {Load()}");

            var scheduler = app.Services.GetRequiredService<ProbeScheduler>();
            var events = app.Services.GetRequiredService<ProbeEvents>();
            var published = 0;
            events.Changed += _ => Interlocked.Increment(ref published);
            var lastStatuses = "";
            var cycleTimes = new List<double>();
            var cycleCpu = new List<double>();
            var idleCpu = new List<double>();
            for (var cycle = 0; cycle <= cycles; cycle++)
            {
                var (seconds, cpu, simCpu, rows, statuses, latency, history) = await CycleAsync(app, simulator, dbFactory, scheduler);
                var warm = cycle == 0 ? " (warm-up, not counted)" : "";
                Console.WriteLine($"probe-cycle: cycle {cycle}{warm}: {seconds:0.0} s wall, portal {cpu:0.0} CPU-s (simulator {simCpu:0.0}), {rows} results stored ({statuses}; {latency}), history {history}, " +
                    $"events {Interlocked.Exchange(ref published, 0)}; load {Load()}");
                lastStatuses = statuses;
                if (cycle > 0)
                {
                    cycleTimes.Add(seconds);
                    cycleCpu.Add(cpu);
                }

                var before = Process.GetCurrentProcess().TotalProcessorTime;
                var idle = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
                var share = (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds / idle.Elapsed.TotalSeconds;
                Console.WriteLine($"probe-cycle: between cycles {idle.Elapsed.TotalSeconds:0} s: {share * 100:0.0} % of a core");
                if (cycle > 0)
                {
                    idleCpu.Add(share);
                }
            }

            Console.WriteLine($"probe-cycle: {clusterCount} clusters x {created} exports, trust {trust} (last cycle: {lastStatuses}): full cycle median {Median(cycleTimes):0.0} s (runs {string.Join(", ", cycleTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)))}), " +
                $"portal CPU per cycle median {Median(cycleCpu):0.0} CPU-s, between cycles median {Median(idleCpu) * 100:0.0} % of a core; load {Load()}");
        }
        finally
        {
            await app.DisposeAsync();
            simulator?.Kill(entireProcessTree: true);
            simulator?.Dispose();
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

    /// <summary>
    /// Creates the portal's mesh root as the demo does (<see cref="TrustDemo.EnsureRootForInstallAsync"/>) and writes a simulator
    /// configuration into the benchmark's temporary directory (created owner-only, 0700, and deleted at the end) that installs every cluster with <c>cacerts</c> from it.
    /// </summary>
    private static async Task<string> SharedRootConfigAsync(WebApplication app, string directory)
    {
        var root = await TrustDemo.EnsureRootForInstallAsync(app.Services, CancellationToken.None)
            ?? throw new InvalidOperationException("the portal's mesh root has no private key to install cacerts from");
        var path = Path.Combine(directory, "simulator-shared-root.json");
        var config = new System.Text.Json.Nodes.JsonObject
        {
            ["Defaults"] = new System.Text.Json.Nodes.JsonObject { ["CacertsAtInstall"] = true },
            ["InstallRootCertificatePem"] = root.CertificatePem,
            ["InstallRootKeyPem"] = root.KeyPem,
        };
        await File.WriteAllTextAsync(path, config.ToJsonString(), CancellationToken.None);
        return path;
    }

    private static async Task<(double Seconds, double Cpu, double SimCpu, int Rows, string Statuses, string Latency, string History)> CycleAsync(
        WebApplication app, Process simulator, IDbContextFactory<MeshPortalDbContext> dbFactory, ProbeScheduler scheduler)
    {
        int expected;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            expected = await db.ProbeResults.CountAsync();
        }

        // Result times are whole clock readings: start strictly after the previous cycle's.
        await Task.Delay(50);
        var start = DateTimeOffset.UtcNow;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        simulator.Refresh();
        var simBefore = simulator.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        scheduler.RunNow();
        await UntilAsync(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var total = await db.ProbeResults.CountAsync();
            var fresh = await db.ProbeResults.CountAsync(r => r.ObservedAt >= start);
            return total > 0 && fresh == total && (expected == 0 || total == expected) && QueueEmpty(app);
        }, TimeSpan.FromMinutes(10), 100);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        simulator.Refresh();
        var simCpu = (simulator.TotalProcessorTime - simBefore).TotalSeconds;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // Every latest row carries this cycle's time (the wait above): the rows are the results this cycle stored.
            var byStatus = await db.ProbeResults.Where(r => r.ObservedAt >= start).GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            // Latency is measured on OK answers (a Tls failure records the time to its handshake error, not a latency of the service).
            var ok = nameof(ProbeStatus.Ok);
            var latencies = (await db.ProbeResults.Where(r => r.ObservedAt >= start && r.Status == ok && r.LatencyMs != null).Select(r => r.LatencyMs!.Value).ToListAsync()).Order().ToList();
            var latency = latencies.Count == 0 ? "no Ok latency"
                : $"Ok latency of {latencies.Count}: median {latencies[latencies.Count / 2]:0.0} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:0.0} ms, max {latencies[^1]:0.0} ms";
            // Raw history holds change points only; every result is counted in its hour's roll-up (one row per link and hour).
            var history = $"{await db.ProbeHistory.CountAsync()} raw rows, {await db.ProbeRollups.CountAsync()} roll-up rows ({await db.ProbeRollups.SumAsync(r => (long)r.Count)} results)";
            return (seconds, cpu, simCpu, byStatus.Sum(s => s.Count), string.Join(" ", byStatus.OrderByDescending(s => s.Count).Select(s => $"{s.Key} {s.Count}")), latency, history);
        }
    }

    /// <summary>The simulator in its own process (so the portal's CPU is the portal's), started from its Release build.</summary>
    internal static async Task<Process> StartSimulatorAsync(string directory, int clusters, int extraServices, IEnumerable<string>? moreArguments = null)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MeshPortal.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("MeshPortal.sln not found above " + AppContext.BaseDirectory);
        }

        var cli = Path.Combine(root, "src/MeshPortal.Simulator.Cli/bin/Release/net10.0/meshportal-simulator.dll");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"{cli} is missing: dotnet build -c Release src/MeshPortal.Simulator.Cli");
        }

        var kubeconfig = Path.Combine(directory, "simulator-kubeconfig");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var a in new[] { cli, "--clusters", clusters.ToString(CultureInfo.InvariantCulture), "--extra-services", extraServices.ToString(CultureInfo.InvariantCulture), "--kubeconfig", kubeconfig }.Concat(moreArguments ?? []))
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("simulator: " + e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await UntilAsync(() => Task.FromResult(process.HasExited || File.Exists(kubeconfig) && File.ReadAllText(kubeconfig).Contains($"cluster-{clusters}", StringComparison.Ordinal)),
                TimeSpan.FromMinutes(15));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true); // not left running when it did not start in time (seeding is slow at load 40+)
            throw;
        }

        return process.HasExited ? throw new InvalidOperationException($"the simulator exited with {process.ExitCode}") : process;
    }

    internal static bool QueueEmpty(WebApplication app)
    {
        var monitor = app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        return monitor.EnqueuedCount("default") == 0 && monitor.ProcessingCount() == 0;
    }

    private static Task UntilQueueEmptyAsync(WebApplication app, TimeSpan timeout) =>
        UntilAsync(() => Task.FromResult(QueueEmpty(app)), timeout, 200);

    /// <param name="overrides">Settings on top of the benchmark's (e.g. the probe cron back on for the soak).</param>
    internal static async Task<WebApplication> StartPortalAsync(string directory, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = typeof(MeshPortalServices).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MeshPortal:DataDirectory"] = directory,
            ["MeshPortal:Bootstrap:AdminPassword"] = "Correct-Horse-Battery-7",
            ["MeshPortal:Bootstrap:AdminToken"] = Token,
            ["MeshPortal:Demo:Clusters"] = "0",
            ["MeshPortal:RateLimits:ApiPerMinute"] = "0",
            // Cycles are started by the benchmark ("Probe now"), not by the minute's cron, so that each is timed alone.
            ["MeshPortal:Probes:Cron"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMeshPortal();
        var app = builder.Build();
        await app.InitializeMeshPortalAsync();
        app.MapMeshPortal();
        await app.StartAsync();
        return app;
    }

    internal static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    internal static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, int pollMs = 250)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException("condition not met in " + timeout);
            }

            await Task.Delay(pollMs);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
