using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Configuration;
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
/// The list APIs at scale in the real portal host (Kestrel, SQLite file): N clusters, E exports each consumed by every other cluster
/// (with a ServiceEntry row per consumer, as the reconciler leaves them) and R latest probe results, written straight into the
/// database. Times GET of the whole list and of the first page (limit=50) and a filtered page, over HTTP, median of repeated calls.
/// Usage: <c>list-api [clusters=50] [exports=2000] [results=20000] [runs=15]</c>.
/// </summary>
internal static class ListApiBenchmarks
{
    private const string Token = "mp_bench-bootstrap-token-0123456789abcdefghijklmnop";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 50);
        var exportCount = Arg(1, 2000);
        var resultCount = Arg(2, 20000);
        var runs = Arg(3, 15);
        var directory = Directory.CreateTempSubdirectory("meshportal-listapi-").FullName;
        try
        {
            await using var app = await StartPortalAsync(directory);
            await SeedAsync(app.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>(), clusterCount, exportCount, resultCount);
            using var api = new HttpClient { BaseAddress = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            Console.WriteLine($"list-api: {clusterCount} clusters, {exportCount} exports x {clusterCount - 1} consumers, {resultCount} latest results; median of {runs} (load {Load()})");
            foreach (var url in new[]
            {
                "/api/v1/exports", "/api/v1/exports?limit=50", "/api/v1/exports?limit=50&cluster=cluster-7&q=svc-1",
                "/api/v1/reachability", "/api/v1/reachability?limit=50", "/api/v1/reachability?limit=50&source=cluster-7&status=Dns",
            })
            {
                var (median, max, bytes, items) = await MeasureAsync(api, url, runs);
                Console.WriteLine($"list-api: GET {url,-58} median {median,7:F1} ms  max {max,7:F1} ms  {bytes / 1024.0,9:F1} KiB{(items is null ? "" : "  next page: yes")}");
            }

            Console.WriteLine($"list-api: load {Load()}");
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

    private static async Task<(double Median, double Max, long Bytes, string? Next)> MeasureAsync(HttpClient api, string url, int runs)
    {
        var times = new List<double>();
        long bytes = 0;
        string? next = null;
        for (var i = 0; i < runs + 2; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await api.GetAsync(url);
            var body = await response.Content.ReadAsByteArrayAsync();
            watch.Stop();
            response.EnsureSuccessStatusCode();
            bytes = body.Length;
            next = response.Headers.TryGetValues("X-Continue", out var v) ? v.Single() : null;
            if (i >= 2)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (times[times.Count / 2], times[^1], bytes, next);
    }

    internal static async Task SeedAsync(IDbContextFactory<MeshPortalDbContext> dbFactory, int clusterCount, int exportCount, int resultCount)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var clusters = Enumerable.Range(1, clusterCount).Select(i => new ClusterEntity
        {
            Name = $"cluster-{i}", Context = "x", ProtectedKubeconfig = new string('k', 4000), Server = $"https://127.0.0.{i}:6443",
            IstioVersion = "1.6.8", GatewayAddress = $"203.0.113.{i}", GatewayPort = 15443, LastCheckPassed = true, LastCheckedAt = now,
        }).ToList();
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        var exports = Enumerable.Range(0, exportCount).Select(i => new ExportEntity
        {
            ClusterId = clusters[i % clusterCount].Id, Namespace = $"team{i % 40}", Service = $"svc-{i:D4}", Host = $"svc-{i:D4}.team{i % 40}.global",
            Address = $"240.0.{i / 250}.{i % 250 + 1}", AllConsumers = true, CreatedAt = now, UpdatedAt = now,
            Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
        }).ToList();
        db.Exports.AddRange(exports);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        foreach (var e in exports)
        {
            foreach (var c in clusters.Where(c => c.Id != e.ClusterId))
            {
                db.ManagedObjects.Add(new ManagedObjectEntity
                {
                    ClusterId = c.Id, ApiVersion = "networking.istio.io/v1alpha3", Kind = "ServiceEntry", Namespace = "meshportal-exports",
                    Name = $"{e.Service}-{e.Namespace}", Source = $"export/{e.Id}", DesiredHash = "h", State = ObjectSyncState.Synced,
                    LastAttemptAt = now, LastSyncedAt = now,
                });
            }

            if (db.ChangeTracker.Entries().Count() > 20000)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        string[] statuses = ["Ok", "Ok", "Ok", "Ok", "Dns", "Tls", "Ok", "Ok", "NoUpstream", "Ok"];
        for (var i = 0; i < resultCount; i++)
        {
            var e = exports[i % exportCount];
            var source = clusters[(e.ClusterId + i / exportCount) % clusterCount];
            if (source.Id == e.ClusterId)
            {
                source = clusters[(source.Id) % clusterCount];
            }

            db.ProbeResults.Add(new ProbeResultEntity
            {
                SourceClusterId = source.Id, TargetClusterId = e.ClusterId, ExportId = e.Id, Host = e.Host, Port = 8000 + i / (exportCount * clusterCount),
                Status = statuses[i % statuses.Length], HttpStatus = 200, LatencyMs = 3.5, ExitCode = 0, ObservedAt = now,
                Message = statuses[i % statuses.Length] == "Ok" ? "HTTP 200" : "curl: (6) Could not resolve host", Hint = statuses[i % statuses.Length] == "Ok" ? null : "Check the ServiceEntry",
            });
        }

        await db.SaveChangesAsync();
    }

    internal static async Task<WebApplication> StartPortalAsync(string directory)
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
            ["MeshPortal:Probes:Cron"] = "",
            ["Logging:LogLevel:Default"] = "Error",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMeshPortal();
        var app = builder.Build();
        await app.InitializeMeshPortalAsync();
        app.MapMeshPortal();
        await app.StartAsync();
        return app;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
