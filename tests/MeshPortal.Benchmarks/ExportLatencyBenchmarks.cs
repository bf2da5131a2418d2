using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Simulator;
using MeshPortal.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Benchmarks;

/// <summary>
/// "Export saved → ServiceEntry present in every consumer cluster", through the real path: the real portal (in this
/// process, on Kestrel, SQLite file, Hangfire on SQLite at the configured poll interval) driven over its HTTP API, pushing
/// into simulated clusters over HTTPS. Exports are saved one after another (each measured until the object is in every
/// consumer), then a burst of quick saves (measured the same way, while pushes queue up).
/// Usage: <c>export-latency [exports=50] [consumers=3] [pollMs=portal default]</c>.
/// </summary>
internal static class ExportLatencyBenchmarks
{
    private const string Token = "mp_bench-bootstrap-token-0123456789abcdefghijklmnop";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var exports = Arg(0, 50);
        var consumers = Arg(1, 3);
        var pollMs = args.Length > 2 ? args[2] : null;
        const int warmup = 2;
        const int burst = 20;

        var options = new SimulatorOptions { Clusters = consumers + 1, AdminEndpoint = false };
        options.ClusterOverrides.Add(new SimulatedClusterOptions { Name = "cluster-1", ExtraServices = warmup + exports + burst });
        await using var mesh = await SimulatedMesh.StartAsync(options);
        var directory = Directory.CreateTempSubdirectory("meshportal-latency-").FullName;
        try
        {
            await using var app = await StartPortalAsync(directory, pollMs);
            using var api = new HttpClient { BaseAddress = Address(app) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            foreach (var c in mesh.Clusters)
            {
                var registered = await api.PostAsJsonAsync("/api/v1/clusters", new { name = c.Name, kubeconfig = c.KubeconfigYaml, context = c.Name });
                if (!registered.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"register {c.Name}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync()}");
                }
            }

            foreach (var c in mesh.Clusters)
            {
                await UntilAsync(async () => (await api.GetFromJsonAsync<JsonObject>($"/api/v1/clusters/{c.Name}"))?["gatewayAddress"] is not null, TimeSpan.FromSeconds(60));
            }

            var targets = mesh.Clusters.Skip(1).ToList();
            var next = 1;
            for (var i = 0; i < warmup; i++)
            {
                await ExportAndWaitAsync(api, targets, next++);
            }

            var sequential = new List<double>();
            for (var i = 0; i < exports; i++)
            {
                sequential.Add(await ExportAndWaitAsync(api, targets, next++));
            }

            Print($"export saved -> ServiceEntry in all {consumers} consumers, {exports} exports one after another:", sequential);

            var watch = Stopwatch.StartNew();
            var saved = new List<(int Service, double SavedAt)>();
            for (var i = 0; i < burst; i++)
            {
                await SaveAsync(api, next);
                saved.Add((next++, watch.Elapsed.TotalMilliseconds));
            }

            var burstLatencies = new List<double>();
            foreach (var (service, savedAt) in saved)
            {
                await UntilAsync(() => Task.FromResult(Present(targets, service)), TimeSpan.FromSeconds(60));
                burstLatencies.Add(Math.Max(0, watch.Elapsed.TotalMilliseconds - savedAt));
            }

            Print($"same, burst of {burst} saves without waiting (upper bound: checked in save order):", burstLatencies);
            Console.WriteLine($"(portal Hangfire queue poll interval: {pollMs ?? "default"} ms; 2 cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        }
        finally
        {
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

    private static async Task<WebApplication> StartPortalAsync(string directory, string? pollMs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = typeof(MeshPortalServices).Assembly.GetName().Name,
        });
        var settings = new Dictionary<string, string?>
        {
            ["MeshPortal:DataDirectory"] = directory,
            ["MeshPortal:Init"] = "true",
            ["MeshPortal:Bootstrap:AdminPassword"] = "Correct-Horse-Battery-7",
            ["MeshPortal:Bootstrap:AdminToken"] = Token,
            ["MeshPortal:Demo:Clusters"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (pollMs is not null)
        {
            settings["MeshPortal:Jobs:QueuePollMilliseconds"] = pollMs;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMeshPortal();
        var app = builder.Build();
        await app.InitializeMeshPortalAsync();
        app.MapMeshPortal();
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static async Task<double> ExportAndWaitAsync(HttpClient api, List<SimulatedCluster> targets, int service)
    {
        var watch = Stopwatch.StartNew();
        await SaveAsync(api, service);
        await UntilAsync(() => Task.FromResult(Present(targets, service)), TimeSpan.FromSeconds(60));
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task SaveAsync(HttpClient api, int service)
    {
        var response = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = "cluster-1", @namespace = "extra", service = Name(service) });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"export {Name(service)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string Name(int service) => $"svc-{service:D4}";

    private static bool Present(List<SimulatedCluster> targets, int service) =>
        targets.All(t => t.Get("networking.istio.io", "serviceentries", "meshportal-exports", ExportNames.ServiceEntryName(Name(service), "extra")) is not null);

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException("condition not met in " + timeout);
            }

            await Task.Delay(5);
        }
    }

    private static void Print(string what, List<double> ms)
    {
        var sorted = ms.Order().ToList();
        double P(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        Console.WriteLine(what);
        Console.WriteLine($"  n={sorted.Count}  p50 {P(0.50),6:F0} ms  p90 {P(0.90),6:F0} ms  p99 {P(0.99),6:F0} ms  max {sorted[^1],6:F0} ms  min {sorted[0],6:F0} ms");
    }
}
