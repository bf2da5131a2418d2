using System.Diagnostics;
using System.Globalization;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
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
using Microsoft.Playwright;

namespace MeshPortal.Benchmarks;

/// <summary>
/// First paint of the Topology page in Chromium at scale: the real portal in this process (Kestrel, SQLite file) with N clusters
/// and S exported services × C consumers of latest probe results written straight into its database (no simulated clusters:
/// this measures the page, not probing), then Debian's Chromium through Playwright opens /topology several times.
/// Reported per load: the browser's first-contentful-paint, and the time from navigation until every cluster node of the
/// graph is in the DOM and visible. Usage: <c>topology-paint [clusters=100] [services=2000] [consumersPerService=5] [loads=5]</c>.
/// </summary>
internal static class TopologyPaintBenchmarks
{
    private const string Password = "Correct-Horse-Battery-7";
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 100);
        var serviceCount = Arg(1, 2000);
        var consumersPer = Arg(2, 5);
        var loads = Arg(3, 5);
        if (!File.Exists(Chromium))
        {
            Console.WriteLine($"topology-paint: {Chromium} is missing; nothing measured.");
            return 0;
        }

        var directory = Directory.CreateTempSubdirectory("meshportal-paint-").FullName;
        try
        {
            await using var app = await StartPortalAsync(directory);
            await SeedAsync(app.Services, clusterCount, serviceCount, consumersPer);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address, ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/login");
            await page.FillAsync("#username", "admin");
            await page.FillAsync("#password", Password);
            await page.ClickAsync("[data-testid=login-submit]");
            await page.Locator("[data-testid=signed-in-user]").WaitForAsync();

            var graphReady = new List<double>();
            var fcp = new List<double>();
            for (var i = 0; i <= loads; i++)
            {
                await page.GotoAsync("/reachability?size=1");
                var watch = Stopwatch.StartNew();
                await page.GotoAsync("/topology", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                await page.Locator("[data-testid=topology-graph]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
                await page.WaitForFunctionAsync($"document.querySelectorAll('[data-testid=node]').length >= {clusterCount}", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
                var ready = watch.Elapsed.TotalMilliseconds;
                var paint = await page.EvaluateAsync<double>("""
                    () => new Promise(done => {
                        const e = performance.getEntriesByName('first-contentful-paint')[0];
                        if (e) { done(e.startTime); return; }
                        new PerformanceObserver(l => { const f = l.getEntries().find(x => x.name === 'first-contentful-paint'); if (f) done(f.startTime); })
                            .observe({ type: 'paint', buffered: true });
                        setTimeout(() => done(-1), 5000);
                    })
                    """);
                if (i == 0)
                {
                    continue; // warm-up: JIT, first query
                }

                graphReady.Add(ready);
                if (paint >= 0)
                {
                    fcp.Add(paint);
                }
            }

            var edges = await page.Locator("[data-testid=edge]").CountAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "..", "meshportal-topology-paint.png") });
            graphReady.Sort();
            fcp.Sort();
            var fcpText = fcp.Count == 0 ? "not reported by the browser" : $"median {fcp[fcp.Count / 2]:0} ms (max {fcp[^1]:0}, {fcp.Count} of {loads} loads reported it)";
            Console.WriteLine($"topology-paint: {clusterCount} clusters, {serviceCount} services x {consumersPer} consumers ({serviceCount * consumersPer} results) -> {edges} edges drawn");
            Console.WriteLine($"topology-paint: first-contentful-paint {fcpText}; navigation -> all {clusterCount} nodes visible median {graphReady[graphReady.Count / 2]:0} ms (max {graphReady[^1]:0}) over {loads} loads");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task SeedAsync(IServiceProvider services, int clusterCount, int serviceCount, int consumersPer)
    {
        var (clusters, results) = TopologyBenchmarks.Data(clusterCount, serviceCount, consumersPer);
        var now = DateTimeOffset.UtcNow;
        await using var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        db.Clusters.AddRange(clusters.Select(c => new ClusterEntity
        {
            Name = c.Name, Context = c.Name, ProtectedKubeconfig = "not-a-real-kubeconfig", Server = "https://127.0.0.1:1", IstioVersion = c.IstioVersion,
            GatewayAddress = c.GatewayAddress, GatewayPort = 15443, LastCheckPassed = c.ApiReachable, LastCheckedAt = now, CreatedAt = now, UpdatedAt = now,
        }));
        await db.SaveChangesAsync();
        var ids = await db.Clusters.ToDictionaryAsync(c => c.Name, c => c.Id);
        db.ProbeResults.AddRange(results.Select(r => new ProbeResultEntity
        {
            SourceClusterId = ids[r.Source], TargetClusterId = ids[r.Target], ExportId = 0, Host = r.Host, Port = r.Port, Status = r.Status.ToString(),
            HttpStatus = r.HttpStatus, LatencyMs = r.LatencyMs, Message = r.Message, Hint = r.Hint, ObservedAt = now.AddSeconds(-5),
        }));
        await db.SaveChangesAsync();
    }

    private static async Task<WebApplication> StartPortalAsync(string directory)
    {
        // Development: static web assets (MudBlazor, blazor.web.js) are served from the build output, as in the browser tests.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ApplicationName = typeof(MeshPortalServices).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MeshPortal:DataDirectory"] = directory,
            ["MeshPortal:Init"] = "true",
            ["MeshPortal:Bootstrap:AdminPassword"] = Password,
            ["MeshPortal:Demo:Clusters"] = "0",
            ["MeshPortal:Jobs:ClusterCheckCron"] = "",
            ["MeshPortal:Probes:Cron"] = "",
            ["MeshPortal:Sync:Cron"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMeshPortal();
        var app = builder.Build();
        await app.InitializeMeshPortalAsync();
        app.MapMeshPortal();
        await app.StartAsync();
        return app;
    }
}
