using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshPortal.Benchmarks;

/// <summary>
/// The steady state of the live portal at scale, left alone for a while: the real portal host in this process (Kestrel, SQLite
/// files, Hangfire on SQLite, every recurring job at its configured cron — probes every minute, re-checks, retention), N simulated
/// clusters in their own process, E exports created through the API, each consumed by K other clusters. Once the pushes are done it
/// samples every minute: resident memory, managed heap, CPU share of this process (portal) and of the simulator, the size of every
/// database file, the latest, raw history (change points) and roll-up row counts and how many latest results are stale (older than
/// two probe intervals, the portal's own rule: <see cref="ProbeOptions.StaleAfter"/>). It ends with the stale count, the memory trend
/// (first third against last third) and the history growth per minute with what the retention settings bound it to.
/// Usage: <c>soak [minutes=30] [clusters=50] [exports=2000] [consumersPerExport=10] [sampleSeconds=60]</c>.
/// </summary>
internal static class SoakBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var minutes = Arg(0, 30);
        var clusterCount = Arg(1, 50);
        var exportCount = Arg(2, 2000);
        var consumersPerExport = Math.Min(Arg(3, 10), clusterCount - 1);
        var sampleSeconds = Arg(4, 60);

        var setup = Stopwatch.StartNew();
        var directory = Directory.CreateTempSubdirectory("meshportal-soak-").FullName;
        // Each cluster holds only the services it exports (cluster k: a block of svc-NNNN of its own), not all E of them.
        var perCluster = (exportCount + clusterCount - 1) / clusterCount;
        using var simulator = await ProbeCycleBenchmarks.StartSimulatorAsync(directory, clusterCount, 0, Enumerable.Range(0, clusterCount).SelectMany(k =>
            new[] { "--cluster", string.Create(CultureInfo.InvariantCulture, $"cluster-{k + 1}:extraServices={perCluster},extraServicesFrom={k * perCluster + 1}") }));
        try
        {
            var kubeconfig = await File.ReadAllTextAsync(Path.Combine(directory, "simulator-kubeconfig"));
            var names = Enumerable.Range(1, clusterCount).Select(i => $"cluster-{i}").ToList();
            // The portal as probe-cycle starts it, with every recurring job at its default cron (probes every minute).
            await using var app = await ProbeCycleBenchmarks.StartPortalAsync(directory, new Dictionary<string, string?> { ["MeshPortal:Probes:Cron"] = "* * * * *" });
            using var api = new HttpClient { BaseAddress = ProbeCycleBenchmarks.Address(app), Timeout = TimeSpan.FromMinutes(5) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ProbeCycleBenchmarks.Token);
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

            // Service i is exported from the cluster that holds it and consumed by the K clusters after that one, so every cluster both
            // exports and consumes and each probes about E·K/N targets.
            var next = 0;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) <= exportCount)
                {
                    var source = (i - 1) / perCluster;
                    var consumers = Enumerable.Range(1, consumersPerExport).Select(k => names[(source + k) % clusterCount]).ToList();
                    using var response = await api.PostAsJsonAsync("/api/v1/exports",
                        new { cluster = names[source], @namespace = "extra", service = $"svc-{i:D4}", consumers });
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"export svc-{i:D4}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
            }));

            // Sampling starts right after the last create: the pushes and the first probe cycles settle in the first minutes, in view.
            // (The job queue is never empty for long here: the probe cycle is a recurring job every minute.)
            var staleAfter = app.Services.GetRequiredService<IOptions<ProbeOptions>>().Value.StaleAfter;
            var retentionHours = app.Services.GetRequiredService<IOptions<ProbeOptions>>().Value.RawRetentionHours;
            var rollupDays = app.Services.GetRequiredService<IOptions<ProbeOptions>>().Value.RollupRetentionDays;
            Console.WriteLine($"soak: set-up {setup.Elapsed.TotalSeconds:0} s ({clusterCount} clusters, {exportCount} exports x {consumersPerExport} consumers = " +
                $"{exportCount * consumersPerExport} probe targets expected); probes every minute, stale after {staleAfter.TotalSeconds:0} s; {minutes} min, a sample every {sampleSeconds} s");
            Console.WriteLine("soak: minute | resident MB | managed heap MB | portal CPU % of a core | simulator CPU % | database MB (file: MB) | latest rows | stale | history rows (change points) | roll-up rows | load");

            var self = Process.GetCurrentProcess();
            var samples = new List<Sample>();
            var watch = Stopwatch.StartNew();
            var cpu = self.TotalProcessorTime;
            simulator.Refresh();
            var simCpu = simulator.TotalProcessorTime;
            var last = TimeSpan.Zero;
            var rounds = minutes * 60 / Math.Max(1, sampleSeconds);
            for (var round = 1; round <= rounds; round++)
            {
                var wait = TimeSpan.FromSeconds(sampleSeconds) * round - watch.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                self.Refresh();
                simulator.Refresh();
                var now = watch.Elapsed;
                var wall = (now - last).TotalSeconds;
                var portalShare = (self.TotalProcessorTime - cpu).TotalSeconds / wall;
                var simShare = (simulator.TotalProcessorTime - simCpu).TotalSeconds / wall;
                (cpu, simCpu, last) = (self.TotalProcessorTime, simulator.TotalProcessorTime, now);
                var files = Directory.GetFiles(directory, "*.db*").Select(f => (Name: Path.GetFileName(f), Mb: new FileInfo(f).Length / 1048576.0)).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
                var sample = await MeasureAsync(dbFactory, staleAfter);
                sample = sample with
                {
                    Minute = now.TotalMinutes,
                    ResidentMb = CreateBurstBenchmarks.ResidentMb(),
                    HeapMb = GC.GetTotalMemory(false) / 1048576.0,
                    PortalCpu = portalShare,
                    SimulatorCpu = simShare,
                    DatabaseMb = files.Sum(f => f.Mb),
                };
                samples.Add(sample);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"soak: {sample.Minute,5:0.0} | {sample.ResidentMb,6:0} | {sample.HeapMb,6:0} | {sample.PortalCpu * 100,5:0.0} | {sample.SimulatorCpu * 100,5:0.0} | " +
                    $"{sample.DatabaseMb,7:0.0} ({string.Join(", ", files.Select(f => $"{f.Name}: {f.Mb:0.0}"))}) | {sample.Latest} | {sample.Stale} | {sample.History} | {sample.Rollups} | {Load()}"));
            }

            if (samples.Count == 0)
            {
                return 0;
            }

            var third = Math.Max(1, samples.Count / 3);
            var early = samples.Take(third).Average(s => s.ResidentMb);
            var late = samples.TakeLast(third).Average(s => s.ResidentMb);
            var span = samples.Count > 1 ? samples[^1].Minute - samples[0].Minute : double.NaN;
            var perMinute = (samples[^1].History - samples[0].History) / span;
            var rollupsPerMinute = (samples[^1].Rollups - samples[0].Rollups) / span;
            var mbPerMinute = (samples[^1].DatabaseMb - samples[0].DatabaseMb) / span;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak: resident memory min {samples.Min(s => s.ResidentMb):0} MB, max {samples.Max(s => s.ResidentMb):0} MB (goal <= 1024), first third {early:0} MB, last third {late:0} MB " +
                $"({(late - early) / early * 100:+0.0;-0.0} %); portal CPU {samples.Average(s => s.PortalCpu) * 100:0.0} % of a core on average"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak: database {samples[0].DatabaseMb:0.0} MB -> {samples[^1].DatabaseMb:0.0} MB ({mbPerMinute * 1024:0} KB/min); raw history +{perMinute:0.0} rows/min (change points), " +
                $"roll-ups +{rollupsPerMinute:0.0} rows/min ({samples[^1].Rollups} rows for {samples[^1].Latest} links). Bound by the retention settings: raw history = the changes " +
                $"of {retentionHours} h (at this rate {perMinute * 60 * retentionHours:0} rows), roll-ups = links x 24 x {rollupDays} days ({(double)samples[^1].Latest * 24 * rollupDays:0} rows here)"));
            var settled = samples.FindIndex(s => s.Latest >= exportCount * consumersPerExport && s.Stale == 0);
            Console.WriteLine($"soak: every expected result present and fresh from minute {(settled < 0 ? "never" : samples[settled].Minute.ToString("0.0", CultureInfo.InvariantCulture))}; " +
                $"stale results at the end {samples[^1].Stale} of {samples[^1].Latest} (goal 0), missing {Math.Max(0, exportCount * consumersPerExport - samples[^1].Latest)}; " +
                $"most stale in any sample after that {(settled < 0 ? samples.Max(s => s.Stale) : samples.Skip(settled).Max(s => s.Stale))}; load {Load()}");

            // Stopped as a process on SIGTERM is (the job server drains), then disposed: disposing a running host took the
            // services from under the probe job of the moment, which logged ObjectDisposedException as a failed job.
            await app.StopAsync();
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

    private sealed record Sample(double Minute, double ResidentMb, double HeapMb, double PortalCpu, double SimulatorCpu, double DatabaseMb, int Latest, int Stale, int History, int Rollups);

    private static async Task<Sample> MeasureAsync(IDbContextFactory<MeshPortalDbContext> dbFactory, TimeSpan staleAfter)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var cutoff = DateTimeOffset.UtcNow - staleAfter;
        var latest = await db.ProbeResults.CountAsync();
        var stale = await db.ProbeResults.CountAsync(r => r.ObservedAt < cutoff);
        var history = await db.ProbeHistory.CountAsync();
        var rollups = await db.ProbeRollups.CountAsync();
        return new Sample(0, 0, 0, 0, 0, 0, latest, stale, history, rollups);
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
