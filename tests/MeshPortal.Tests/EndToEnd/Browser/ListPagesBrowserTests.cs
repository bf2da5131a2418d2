using System.Text.RegularExpressions;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// A portal process of its own with 8 clusters, 120 exports (each consumed by the 7 others), 840 latest results and 70 extra audit entries,
/// written straight into its database: enough for three pages of exports and many pages of links, without disturbing the shared portal.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class SeededListPortal : IAsyncLifetime
{
    public const int Exports = 120;
    public const int Clusters = 8;

    private SeededPortal seeded = null!;

    public PortalProcess Portal => seeded.Portal;
    public Dictionary<int, string> HostsById { get; } = [];

    public async Task InitializeAsync()
    {
        seeded = await SeededPortal.StartAsync("meshportal-pages-", new Dictionary<string, string>
        {
            ["MeshPortal__Probes__Cron"] = "",
            ["MeshPortal__Sync__Cron"] = "",
            ["MeshPortal__Alerts__Cron"] = "",
        });
        await seeded.WriteAsync(SeedAsync);
    }

    private async Task SeedAsync(MeshPortalDbContext db)
    {
        var now = DateTimeOffset.UtcNow;
        var clusters = await SeededPortal.AddCheckedClustersAsync(db, Enumerable.Range(1, Clusters).Select(i => $"cluster-{i}"), now);
        var exports = Enumerable.Range(0, Exports).Select(i => new ExportEntity
        {
            ClusterId = clusters[i % Clusters].Id, Namespace = $"payments-team{i % 4}", Service = $"svc-{i:D4}", Host = $"svc-{i:D4}.payments-team{i % 4}.global",
            Address = $"240.0.{i / 250}.{i % 250 + 1}", AllConsumers = true, CreatedAt = now, UpdatedAt = now,
            Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
        }).ToList();
        db.Exports.AddRange(exports);
        await db.SaveChangesAsync();
        for (var i = 0; i < exports.Count; i++)
        {
            var e = exports[i];
            HostsById[e.Id] = e.Host;
            foreach (var (c, n) in clusters.Where(c => c.Id != e.ClusterId).Select((c, n) => (c, n)))
            {
                var failed = i % 25 == 0 && n == 0;
                db.ManagedObjects.Add(new ManagedObjectEntity
                {
                    ClusterId = c.Id, ApiVersion = "networking.istio.io/v1alpha3", Kind = "ServiceEntry", Namespace = "istio-system",
                    Name = $"{e.Service}-{e.Namespace}", Source = $"export/{e.Id}", DesiredHash = "h",
                    State = failed ? ObjectSyncState.Failed : ObjectSyncState.Synced, Message = failed ? "admission webhook denied the ServiceEntry" : null,
                    LastAttemptAt = now, LastSyncedAt = failed ? null : now,
                });
                db.ProbeResults.Add(new ProbeResultEntity
                {
                    SourceClusterId = c.Id, TargetClusterId = e.ClusterId, ExportId = e.Id, Host = e.Host, Port = 8000,
                    Status = i % 10 == 3 && n == 0 ? "Dns" : "Ok", HttpStatus = i % 10 == 3 && n == 0 ? null : 200, LatencyMs = 4,
                    ObservedAt = i % 10 == 7 && n == 0 ? now.AddHours(-1) : now,
                    Message = i % 10 == 3 && n == 0 ? "curl: (6) Could not resolve host: " + e.Host : "HTTP/1.1 200 OK",
                    Hint = i % 10 == 3 && n == 0 ? "The consumer's DNS does not answer for .global: check the istiocoredns stub domain." : null,
                });
            }
        }

        for (var i = 0; i < 70; i++)
        {
            db.AuditEntries.Add(new AuditEntryEntity
            {
                At = now.AddMinutes(-i), Actor = "platform-admin", Action = i % 2 == 0 ? "cluster.registered" : "cluster.probe-pod-changed", TargetKind = "cluster",
                Target = $"cluster-{i % Clusters + 1}", Outcome = "success", Summary = $"Registered cluster-{i % Clusters + 1} with its connection check passed in all eight stages",
                RemoteIp = "10.20.30.40", UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            });
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await seeded.DisposeAsync();

    /// <summary>Writes into the running portal's database (a result changing between two probe cycles, as seen from the page).</summary>
    public Task WriteAsync(Func<MeshPortalDbContext, Task> change) => seeded.WriteAsync(change);
}

/// <summary>
/// The Exports, Reachability and Audit pages paged and filtered on the server (issue 20) with filters and page in the URL, the Exports probe
/// column, and their layout at 1440×900 and 390×844 (issue 16): no clipped hosts or buttons, no word broken inside ("cluster.register ed",
/// "cluster- 1"). Screenshots pages-*.png.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed partial class ListPagesBrowserTests(BrowserFixture browser, SeededListPortal seeded) : IClassFixture<BrowserFixture>, IClassFixture<SeededListPortal>
{
    /// <summary>Text runs (split at spaces and after dots, where the pages allow a break) that the browser laid out on more than one line.</summary>
    private const string BrokenWordsScript = """
        (cells) => cells.flatMap(cell => {
            const broken = [];
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const m of node.textContent.matchAll(/[^\s.]+\.?/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                    if (lines.size > 1) broken.push(m[0]);
                }
            }
            return broken;
        })
        """;

    /// <summary>Elements inside the selector that stick out of the viewport or are cut by their own box.</summary>
    private const string ClippedScript = """
        (els) => els.flatMap(e => {
            const r = e.getBoundingClientRect();
            const out = [];
            const box = e.closest('.mud-table-container')?.getBoundingClientRect();
            const right = Math.min(window.innerWidth, box ? box.right : window.innerWidth);
            if (r.width > 0 && (r.right > right + 1 || r.left < -1)) out.push(`${e.tagName}.${e.className} '${e.textContent.trim().slice(0, 40)}' right=${Math.round(r.right)} of ${Math.round(right)}`);
            if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') out.push(`${e.tagName} scrolls '${e.textContent.trim().slice(0, 40)}'`);
            return out;
        })
        """;

    [BrowserFact]
    public async Task Exports_page_is_paged_and_filtered_in_the_url_shows_probe_health_and_updates_live()
    {
        await using var session = await browser.SignedInAsync(seeded.Portal.Address, width: 1440, height: 900);
        var page = session.Page;

        await page.GotoAsync("/exports");
        await session.WaitInteractiveAsync();
        var count = page.Locator("[data-testid=exports-count]");
        await Assertions.Expect(count).ToHaveTextAsync("Showing 1–50 of 120 exports");
        await Assertions.Expect(page.Locator("[data-testid=export-table] tbody tr")).ToHaveCountAsync(50);
        await Assertions.Expect(page.Locator("[data-testid=export-table] tbody tr").First).ToContainTextAsync("svc-0000.payments-team0.global");

        // Seven consumers: counts per state and only the consumer that needs a look as a chip.
        var first = page.Locator("[data-testid=export-table] tbody tr").First;
        await Assertions.Expect(first.Locator("[data-testid=consumer-count]")).ToHaveTextAsync(["1 failed", "6 synced"]);
        await Assertions.Expect(first.Locator("[data-testid=consumer-chip]")).ToHaveTextAsync(["cluster-2: Failed"]);

        // The probe column: export 3 has a failing link, export 7 a stale one; each part links to the filtered Reachability page.
        var row3 = page.Locator("[data-testid=export-table] tbody tr", new() { HasText = "svc-0003.payments-team3.global" });
        await Assertions.Expect(row3.Locator("[data-testid=export-health-part]")).ToHaveTextAsync(["1 failing", "6 OK"]);
        var row7 = page.Locator("[data-testid=export-table] tbody tr", new() { HasText = "svc-0007.payments-team3.global" });
        await Assertions.Expect(row7.Locator("[data-testid=export-health-part]")).ToHaveTextAsync(["1 stale", "6 OK"]);
        await session.ShotAsync("pages-1-exports-1440", fullPage: false);
        Assert.Empty(await BrokenWordsAsync(page, "[data-testid=export-table] tbody td:is([data-label=Host], [data-label=From], [data-label=Team], [data-label=Probes])"));
        Assert.Empty(await ClippedAsync(page, "[data-testid=export-table] tbody button, [data-testid=export-table] tbody a"));

        // Next page: in the URL, kept by a reload.
        await page.Locator("[data-testid=exports-next]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/exports\\?page=2$"));
        await Assertions.Expect(count).ToHaveTextAsync("Showing 51–100 of 120 exports");
        await page.ReloadAsync();
        await session.WaitInteractiveAsync();
        await Assertions.Expect(count).ToHaveTextAsync("Showing 51–100 of 120 exports");
        await Assertions.Expect(page.Locator("[data-testid=export-table] tbody tr").First).ToContainTextAsync("svc-0050.");
        await page.Locator("[data-testid=exports-previous]").ClickAsync();
        await Assertions.Expect(count).ToHaveTextAsync("Showing 1–50 of 120 exports");

        // The search box writes ?q= and filters on the server.
        await PortalPage.Field(page, "export-search").FillAsync("svc-011");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=svc-011"));
        await Assertions.Expect(count).ToHaveTextAsync("Showing 10 exports");
        await page.ReloadAsync();
        await session.WaitInteractiveAsync();
        await Assertions.Expect(count).ToHaveTextAsync("Showing 10 exports");
        await Assertions.Expect(PortalPage.Field(page, "export-search")).ToHaveValueAsync("svc-011");

        // The Overview's link: exports with a Failed consumer (0, 25, 50, 75, 100).
        await page.GotoAsync("/exports?state=Failed");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(count).ToHaveTextAsync("Showing 5 exports");
        await Assertions.Expect(page.Locator("[data-testid=export-filter]")).ToContainTextAsync("with a consumer in state Failed");

        // No match: said so, with the way back.
        await page.GotoAsync("/exports?q=no-such-service");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No export matches these filters");
        await Assertions.Expect(count).ToHaveTextAsync("No exports");
        await page.GotoAsync("/exports?state=Broken");
        await Assertions.Expect(page.Locator("[data-testid=export-filter]")).ToContainTextAsync("which is not a sync state");

        // The failing part opens the Reachability page with that export's failing link only.
        await page.GotoAsync("/exports");
        await session.WaitInteractiveAsync();
        await row3.Locator("[data-testid=export-health-part][data-kind=failing]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/reachability\\?export=\\d+&filter=failing$"));
        await Assertions.Expect(page.Locator("[data-testid=reachability-count]")).ToHaveTextAsync("Showing 1 link");
        await Assertions.Expect(page.Locator("[data-testid=reachability-scope]")).ToContainTextAsync("of export svc-0003.payments-team3.global");
        await Assertions.Expect(page.Locator("[data-testid=probe-status]")).ToHaveTextAsync(["DNS"]);

        // Live: another client unexports svc-0001 and a probe result of svc-0002 turns to a failure; the open page shows both without a reload.
        await page.GotoAsync("/exports");
        await session.WaitInteractiveAsync();
        var id1 = seeded.HostsById.Single(h => h.Value.StartsWith("svc-0001.", StringComparison.Ordinal)).Key;
        var id2 = seeded.HostsById.Single(h => h.Value.StartsWith("svc-0002.", StringComparison.Ordinal)).Key;
        await seeded.WriteAsync(async db =>
        {
            var result = await db.ProbeResults.Where(r => r.ExportId == id2).OrderBy(r => r.SourceClusterId).FirstAsync();
            result.Status = "Tls";
        });
        using (var api = Api())
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/exports/{id1}")).StatusCode);
        }

        await Assertions.Expect(count).ToHaveTextAsync("Showing 1–50 of 119 exports");
        await Assertions.Expect(page.Locator("[data-testid=export-table] tbody tr", new() { HasText = "svc-0001." })).ToHaveCountAsync(0);
        var row2 = page.Locator("[data-testid=export-table] tbody tr", new() { HasText = "svc-0002.payments-team2.global" });
        await Assertions.Expect(row2.Locator("[data-testid=export-health-part]")).ToHaveTextAsync(["1 failing", "6 OK"]);
        Assert.Empty(session.ConsoleErrors);
    }

    [BrowserFact]
    public async Task Reachability_page_is_paged_and_filtered_in_the_url_and_never_breaks_a_cluster_name()
    {
        await using var session = await browser.SignedInAsync(seeded.Portal.Address, width: 1440, height: 900);
        var page = session.Page;
        await page.GotoAsync("/reachability");
        await session.WaitInteractiveAsync();
        var count = page.Locator("[data-testid=reachability-count]");
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^Showing 1–50 of 8\\d\\d links$"));
        await Assertions.Expect(page.Locator("[data-testid=reachability-table] tbody tr")).ToHaveCountAsync(50);
        // Worst first: the DNS failures lead.
        await Assertions.Expect(page.Locator("[data-testid=probe-status]").First).ToHaveTextAsync("DNS");
        await session.ShotAsync("pages-4-reachability-1440", fullPage: false);
        // Names and classes stay whole; only curl's free-text message may wrap where the browser finds room.
        Assert.Empty(await BrokenWordsAsync(page, NamedCells));

        await page.Locator("[data-testid=reachability-next]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/reachability\\?page=2$"));
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^Showing 51–100 of"));

        // The Overview's counters and the alerts link here; the text filter writes ?filter= and resets the page.
        await page.GotoAsync("/reachability?filter=failing");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^Showing 1[2-3] links$"));
        await page.GotoAsync("/reachability?filter=stale");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(count).ToHaveTextAsync("Showing 12 links");
        await Assertions.Expect(page.Locator("[data-testid=probe-stale]")).ToHaveCountAsync(12);
        await page.GotoAsync("/reachability?cluster=cluster-3&page=2");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^Showing 51–100 of 2\\d\\d links$"));
        await PortalPage.Field(page, "reachability-filter").FillAsync("svc-0042");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("cluster=cluster-3&filter=svc-0042$"));
        await Assertions.Expect(count).ToHaveTextAsync("Showing 7 links");
        await page.GotoAsync("/reachability?filter=nothing-like-this");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("No link matches");
    }

    [BrowserFact]
    public async Task Audit_filters_and_page_live_in_the_url_and_actions_break_only_at_dots()
    {
        await using var session = await browser.SignedInAsync(seeded.Portal.Address, width: 1440, height: 900);
        var page = session.Page;
        await page.GotoAsync("/audit");
        await session.WaitInteractiveAsync();
        var count = page.Locator("[data-testid=audit-count]");
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^Showing 1–50 of \\d+ entries, newest first$"));
        await session.ShotAsync("pages-6-audit-1440", fullPage: false);
        Assert.Empty(await BrokenWordsAsync(page, "[data-testid=audit-table] td[data-label=Action], [data-testid=audit-table] td[data-label=Target], [data-testid=audit-table] td[data-label=Who]"));

        await page.Locator("[data-testid=audit-next]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/audit\\?page=2$"));
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^Showing 51–"));

        await PortalPage.Field(page, "audit-text").FillAsync("cluster-3");
        await page.ClickAsync("[data-testid=audit-apply]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/audit\\?q=cluster-3$"));
        await Assertions.Expect(count).ToHaveTextAsync(new Regex("^Showing \\d+ entries, newest first$"));
        var filtered = await page.Locator("[data-testid=audit-row]").CountAsync();
        await page.ReloadAsync();
        await session.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=audit-row]")).ToHaveCountAsync(filtered);
        await Assertions.Expect(PortalPage.Field(page, "audit-text")).ToHaveValueAsync("cluster-3");

        await page.GotoAsync("/audit?from=yesterday");
        await Assertions.Expect(page.Locator("[data-testid=audit-url-error]")).ToContainTextAsync("'from=yesterday' in the address is not a date");
    }

    [BrowserFact]
    public async Task At_390px_export_cards_reachability_and_audit_clip_nothing_and_break_no_word()
    {
        await using var session = await browser.SignedInAsync(seeded.Portal.Address, width: 390, height: 844);
        var page = session.Page;
        await page.GotoAsync("/exports");
        await session.WaitInteractiveAsync();
        await Assertions.Expect(page.Locator("[data-testid=exports-count]")).ToHaveTextAsync(new Regex("^Showing 1–50 of"));
        await session.ShotAsync("pages-2-exports-390", fullPage: false);
        Assert.Empty(await ClippedAsync(page, "[data-testid=export-table] tbody td, [data-testid=export-table] tbody button, [data-testid=export-table] tbody .mp-mono, [data-testid=exports-pager] a"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the Exports page scrolls sideways at 390 px");

        await page.GotoAsync("/reachability");
        await session.WaitInteractiveAsync();
        await session.ShotAsync("pages-5-reachability-390", fullPage: false);
        Assert.Empty(await BrokenWordsAsync(page, NamedCells));
        Assert.Empty(await ClippedAsync(page, "[data-testid=reachability-table] tbody td"));

        await page.GotoAsync("/audit");
        await session.WaitInteractiveAsync();
        await session.ShotAsync("pages-7-audit-390", fullPage: false);
        Assert.Empty(await BrokenWordsAsync(page, "[data-testid=audit-table] td[data-label=Action], [data-testid=audit-table] td[data-label=Target], [data-testid=audit-table] td[data-label=Who]"));
        Assert.Empty(await ClippedAsync(page, "[data-testid=audit-table] td"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the Audit page scrolls sideways at 390 px");
    }

    private const string NamedCells = "[data-testid=reachability-table] tbody td:not([data-label=Detail])";

    private static Task<string[]> BrokenWordsAsync(IPage page, string selector) => page.Locator(selector).EvaluateAllAsync<string[]>(BrokenWordsScript);

    private static Task<string[]> ClippedAsync(IPage page, string selector) => page.Locator(selector).EvaluateAllAsync<string[]>(ClippedScript);

    private HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = seeded.Portal.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PortalFixture.AdminToken);
        return client;
    }
}
