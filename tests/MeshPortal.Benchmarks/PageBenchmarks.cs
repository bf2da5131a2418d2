using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Simulator;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Benchmarks;

/// <summary>
/// The Exports, Reachability and Audit PAGES at scale in the real portal host (Kestrel, SQLite file, signed in with the session cookie as a
/// browser is): the data <c>list-api</c> seeds (N clusters, E exports each consumed by every other cluster, R latest results; the clusters get
/// a real 1.6.8 connection check's facts so every consumer shows Synced), plus A audit entries. For each page URL: the prerendered HTML's size,
/// time to first byte and to the complete response, median of repeated GETs. "Before" in the same run: the whole lists the pages used to load
/// (the unpaged APIs, which read and serialise what the old pages rendered).
/// The data is fixed: the portal runs without its job server (no cluster check of the fake kubeconfigs, no push), so nothing changes the
/// seeded states while it measures. After the usual pass (every consumer Synced), the Exports pages are measured again with every consumer
/// of every export Failed, then also with the longest names the validation allows (63-character clusters, namespaces and services): the
/// worst case of the page's size.
/// Usage: <c>pages [clusters=50] [exports=2000] [results=20000] [audit=20000] [runs=15]</c>; <c>MESHPORTAL_BENCH_DUMP=&lt;dir&gt;</c> keeps each page's HTML.
/// </summary>
internal static partial class PageBenchmarks
{
    private const string Token = "mp_bench-bootstrap-token-0123456789abcdefghijklmnop";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        var clusterCount = Arg(0, 50);
        var exportCount = Arg(1, 2000);
        var resultCount = Arg(2, 20000);
        var auditCount = Arg(3, 20000);
        var runs = Arg(4, 15);
        var directory = Directory.CreateTempSubdirectory("meshportal-pages-").FullName;
        try
        {
            // No job server: the recurring cluster check (every 5 minutes) and push (every 3) of the seeded fake kubeconfigs failed and turned
            // consumers Failed in the middle of some runs, so what ?state=Failed matched depended on when the run started.
            Environment.SetEnvironmentVariable("MeshPortal__Jobs__Enabled", "false");
            await using var app = await ListApiBenchmarks.StartPortalAsync(directory);
            var dbFactory = app.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
            var seed = Stopwatch.StartNew();
            await ListApiBenchmarks.SeedAsync(dbFactory, clusterCount, exportCount, resultCount);
            await ApplyFactsAsync(app.Services, dbFactory);
            await SeedAuditAsync(dbFactory, auditCount, clusterCount);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var browser = await SignedInAsync(address);
            using var api = new HttpClient { BaseAddress = address };
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
            Console.WriteLine($"pages: {clusterCount} clusters, {exportCount} exports x {clusterCount - 1} consumers, {resultCount} latest results, {auditCount} audit entries "
                + $"(seeded in {seed.Elapsed.TotalSeconds:F0} s); median of {runs} GETs, signed in (load {Load()})");
            Console.WriteLine("pages: before (what the pages loaded before paging, in this run):");
            foreach (var url in new[] { "/api/v1/exports", "/api/v1/reachability" })
            {
                Print(url, await MeasureAsync(api, url, Math.Min(runs, 5)));
            }

            Console.WriteLine("pages: after (prerendered page HTML):");
            foreach (var url in new[]
            {
                "/exports", "/exports?page=40", "/exports?q=svc-1&cluster=cluster-7", "/exports?state=Failed", "/exports?state=Synced",
                "/reachability", "/reachability?page=400", "/reachability?filter=failing", "/reachability?cluster=cluster-7&filter=dns", "/reachability?export=1",
                "/audit", "/audit?page=400", "/audit?q=cluster-7&kind=cluster",
            })
            {
                var m = await MeasureAsync(browser, url, runs);
                Print(url, m);
                if (Environment.GetEnvironmentVariable("MESHPORTAL_BENCH_DUMP") is { Length: > 0 } dump)
                {
                    // The HTML of each page, to see what its bytes are made of.
                    Directory.CreateDirectory(dump);
                    await File.WriteAllTextAsync(Path.Combine(dump, Regex.Replace(url, "[^A-Za-z0-9]+", "_") + ".html"), m.Html);
                }

                if (!m.Html.Contains("data-testid=\"render-state\"", StringComparison.Ordinal) || m.Html.Contains("/login", StringComparison.Ordinal) && !m.Html.Contains("signed-in-user", StringComparison.Ordinal))
                {
                    Console.WriteLine($"pages:   WARNING: {url} did not render the signed-in page");
                }
            }

            await CheckStatesAsync(browser, "Synced");
            await FailEveryConsumerAsync(dbFactory);
            Console.WriteLine($"pages: after, every consumer of every export Failed (load {Load()}):");
            await MeasureExportsAsync(browser, runs, " (all failed)");
            await CheckStatesAsync(browser, "Failed");
            await LongestNamesAsync(dbFactory);
            Console.WriteLine($"pages: after, every consumer Failed and the longest names (63-character clusters, namespaces, services; load {Load()}):");
            await MeasureExportsAsync(browser, runs, " (all failed, longest)");
            await CheckStatesAsync(browser, "Failed");
            Console.WriteLine($"pages: load {Load()}");
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

    private static readonly string[] ExportUrls = ["/exports", "/exports?state=Failed", "/exports?state=Synced"];

    private static async Task MeasureExportsAsync(HttpClient browser, int runs, string label)
    {
        foreach (var url in ExportUrls)
        {
            var m = await MeasureAsync(browser, url, runs);
            Print(url + label, m);
            if (Environment.GetEnvironmentVariable("MESHPORTAL_BENCH_DUMP") is { Length: > 0 } dump)
            {
                await File.WriteAllTextAsync(Path.Combine(dump, Regex.Replace(url + label, "[^A-Za-z0-9]+", "_") + ".html"), m.Html);
            }
        }
    }

    /// <summary>
    /// Says so when the data is not what the pass claims: with every consumer in <paramref name="state"/>, that filter lists every export
    /// (a full first page) and the other filter none.
    /// </summary>
    private static async Task CheckStatesAsync(HttpClient browser, string state)
    {
        var other = state == "Synced" ? "Failed" : "Synced";
        using var all = await browser.GetAsync($"/exports?state={state}");
        using var none = await browser.GetAsync($"/exports?state={other}");
        var rows = TableRow().Count(await all.Content.ReadAsStringAsync());
        var empty = (await none.Content.ReadAsStringAsync()).Contains("No export matches these filters", StringComparison.Ordinal);
        if (rows < 50 || !empty)
        {
            Console.WriteLine($"pages:   WARNING: expected every consumer {state}: ?state={state} showed {rows} rows, ?state={other} {(empty ? "none" : "some")}");
        }
    }

    /// <summary>Every consumer's ServiceEntry failed at its last push (the message a push to an API server that does not answer records), synced 3 minutes earlier.</summary>
    private static async Task FailEveryConsumerAsync(IDbContextFactory<MeshPortalDbContext> dbFactory)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.ManagedObjects.ExecuteUpdateAsync(s => s
            .SetProperty(o => o.State, ObjectSyncState.Failed)
            .SetProperty(o => o.Message, o => "Applying ServiceEntry meshportal-exports/" + o.Name + ": the API server did not answer in time.")
            .SetProperty(o => o.LastAttemptAt, now)
            .SetProperty(o => o.LastSyncedAt, now.AddMinutes(-3)));
    }

    /// <summary>
    /// The longest names the validation allows: 63-character cluster names (DNS labels), namespaces and services; the ServiceEntries'
    /// names (service-namespace, 127 characters) in the failure messages grow with them.
    /// </summary>
    private static async Task LongestNamesAsync(IDbContextFactory<MeshPortalDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var longer = "-" + new string('x', 112);
        await db.ManagedObjects.ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Message, o => "Applying ServiceEntry meshportal-exports/" + o.Name + longer + ": the API server did not answer in time."));
        foreach (var cluster in await db.Clusters.ToListAsync())
        {
            cluster.Name = $"{cluster.Name}-".PadRight(62, 'x') + "z";
        }

        foreach (var export in await db.Exports.ToListAsync())
        {
            export.Namespace = $"{export.Namespace}-".PadRight(62, 'n') + "z";
            export.Service = $"{export.Service}-".PadRight(62, 's') + "z";
            export.Host = $"{export.Service}.{export.Namespace}.global";
        }

        await db.SaveChangesAsync();
    }

    [GeneratedRegex("data-testid=\"export-consumers\"")]
    private static partial Regex TableRow();

    private static void Print(string url, (double Ttfb, double Total, double Max, long Bytes, string Html) m) =>
        Console.WriteLine($"pages:   GET {url,-44} first byte {m.Ttfb,7:F1} ms  complete {m.Total,7:F1} ms (max {m.Max,7:F1})  {m.Bytes / 1024.0,9:F1} KiB");

    /// <summary>Median time to the response headers and to the last byte, the worst complete time, and the body of the last call.</summary>
    private static async Task<(double Ttfb, double Total, double Max, long Bytes, string Html)> MeasureAsync(HttpClient client, string url, int runs)
    {
        var firstBytes = new List<double>();
        var totals = new List<double>();
        var html = "";
        for (var i = 0; i < runs + 2; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            var ttfb = watch.Elapsed.TotalMilliseconds;
            html = await response.Content.ReadAsStringAsync();
            watch.Stop();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode}");
            }

            if (i >= 2)
            {
                firstBytes.Add(ttfb);
                totals.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        firstBytes.Sort();
        totals.Sort();
        return (firstBytes[firstBytes.Count / 2], totals[totals.Count / 2], totals[^1], System.Text.Encoding.UTF8.GetByteCount(html), html);
    }

    /// <summary>Every seeded cluster gets what a real connection check of a 1.6.8 cluster stores, so each pair is a supported .global pair.</summary>
    private static async Task ApplyFactsAsync(IServiceProvider services, IDbContextFactory<MeshPortalDbContext> dbFactory)
    {
        var template = new ClusterEntity { Name = "template", Context = "x", ProtectedKubeconfig = "x", Server = "https://127.0.0.1" };
        await using (var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1, AdminEndpoint = false }))
        {
            await BenchFacts.ApplyAsync(services.GetRequiredService<IClusterConnectionChecker>(), template, mesh.Clusters[0]);
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Clusters.ExecuteUpdateAsync(s => s
            .SetProperty(c => c.IstioVersion, template.IstioVersion)
            .SetProperty(c => c.KubernetesVersion, template.KubernetesVersion)
            .SetProperty(c => c.IstioCoreDnsAddress, template.IstioCoreDnsAddress)
            .SetProperty(c => c.DnsProxying, template.DnsProxying)
            .SetProperty(c => c.MeshFactsJson, template.MeshFactsJson));
    }

    private static async Task SeedAuditAsync(IDbContextFactory<MeshPortalDbContext> dbFactory, int count, int clusterCount)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        string[] actions = ["cluster.registered", "export.created", "export.changed", "probe.requested", "cluster.probe-pod-changed"];
        for (var i = 0; i < count; i++)
        {
            var cluster = $"cluster-{i % clusterCount + 1}";
            db.AuditEntries.Add(new AuditEntryEntity
            {
                At = now.AddSeconds(-i * 30), Actor = i % 3 == 0 ? "ci-bot" : "platform-admin", TokenName = i % 3 == 0 ? "ci" : null, Action = actions[i % actions.Length],
                TargetKind = i % 5 is 1 or 2 ? "export" : "cluster", Target = i % 5 is 1 or 2 ? $"svc-{i % 2000:D4}.team{i % 40}.global" : cluster,
                Outcome = "success", Summary = $"Change {i} on {cluster}", RemoteIp = "10.0.0.7", UserAgent = "curl/8.5.0",
            });
            if (i % 5000 == 4999)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The sign-in form as a browser posts it; the client then sends the session cookie (pages do not take bearer tokens).</summary>
    private static async Task<HttpClient> SignedInAsync(Uri address)
    {
        using var form = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        using var get = await form.GetAsync("/login");
        var html = await get.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                ["Input.UserName"] = "admin",
                ["Input.Password"] = "Correct-Horse-Battery-7",
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", get.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        using var answer = await form.SendAsync(post);
        var auth = answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).Single(c => c.StartsWith("meshportal.auth=", StringComparison.Ordinal))
            : throw new InvalidOperationException($"sign-in failed: {(int)answer.StatusCode}");
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        client.DefaultRequestHeaders.Add("Cookie", auth);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
