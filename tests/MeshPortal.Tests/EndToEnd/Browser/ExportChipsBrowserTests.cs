using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// The Exports page's worst case for its size (issue 20): a portal of its own with 8 clusters and 55 exports, every name as long as the
/// validation allows (63-character clusters, namespaces and services), every consumer of every export Failed with a long reason. Each row then
/// shows a count and six consumer chips, 300 chips a page.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class WorstChipsPortal : IAsyncLifetime
{
    public const int Exports = 55;
    public const int Clusters = 8;

    private SeededPortal seeded = null!;

    public PortalProcess Portal => seeded.Portal;

    /// <summary>A 63-character DNS label starting with <paramref name="prefix"/>.</summary>
    public static string Longest(string prefix) => (prefix + "-").PadRight(62, 'x') + "z";

    public static string Reason(string objectName) =>
        $"Applying ServiceEntry meshportal-exports/{objectName}: admission webhook \"validation.istio.io\" denied the request: configuration is invalid: "
        + "the address 240.0.0.1 is already used by another ServiceEntry in this namespace";

    public async Task InitializeAsync()
    {
        seeded = await SeededPortal.StartAsync("meshportal-chips-", new Dictionary<string, string> { ["MeshPortal__Jobs__Enabled"] = "false" });
        await seeded.WriteAsync(SeedAsync);
    }

    private static async Task SeedAsync(MeshPortalDbContext db)
    {
        var now = DateTimeOffset.UtcNow;
        var clusters = await SeededPortal.AddCheckedClustersAsync(db, Enumerable.Range(1, Clusters).Select(i => Longest($"cluster-{i}")), now);
        var exports = Enumerable.Range(0, Exports).Select(i => new ExportEntity
        {
            ClusterId = clusters[i % Clusters].Id, Namespace = Longest($"team{i % 4}"), Service = Longest($"svc-{i:D4}"),
            Host = $"{Longest($"svc-{i:D4}")}.{Longest($"team{i % 4}")}.global",
            Address = $"240.0.0.{i + 1}", AllConsumers = true, CreatedAt = now, UpdatedAt = now,
            Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
        }).ToList();
        db.Exports.AddRange(exports);
        await db.SaveChangesAsync();
        foreach (var e in exports)
        {
            foreach (var c in clusters.Where(c => c.Id != e.ClusterId))
            {
                var name = $"{e.Service}-{e.Namespace}";
                db.ManagedObjects.Add(new ManagedObjectEntity
                {
                    ClusterId = c.Id, ApiVersion = "networking.istio.io/v1alpha3", Kind = "ServiceEntry", Namespace = "meshportal-exports",
                    Name = name, Source = $"export/{e.Id}", DesiredHash = "h", State = ObjectSyncState.Failed, Message = Reason(name),
                    LastAttemptAt = now, LastSyncedAt = now.AddMinutes(-3),
                });
            }
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await seeded.DisposeAsync();
}

/// <summary>
/// The consumer chips of the Exports page in the worst case for its size (<see cref="WorstChipsPortal"/>): the page's HTML stays within
/// 300 KB (issue 20) with every chip's cluster and state in text, each chip's reason and times reachable (pressing the chip opens them
/// under the chips), axe passes, and the page does not scroll sideways at 390 px. Screenshots chips-*.png.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class ExportChipsBrowserTests(BrowserFixture browser, WorstChipsPortal worst) : IClassFixture<BrowserFixture>, IClassFixture<WorstChipsPortal>
{
    private const int MaxPageBytes = 300 * 1024;

    [BrowserFact]
    public async Task Every_consumer_failed_with_the_longest_names_fits_300_KB_keeps_each_reason_reachable_and_passes_axe()
    {
        await using var session = await browser.SignedInAsync(worst.Portal.Address, width: 1440, height: 900);
        var page = session.Page;
        var response = await page.GotoAsync("/exports");
        var html = await response!.BodyAsync();
        await session.WaitInteractiveAsync();
        var rows = page.Locator("[data-testid=export-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(50);

        // The whole first page as the server sends it: 50 rows, 300 failed chips with 63-character names, within 300 KB.
        Assert.True(html.Length <= MaxPageBytes, $"the Exports page is {html.Length / 1024.0:F1} KB (want at most 300 KB)");
        var text = System.Text.Encoding.UTF8.GetString(html);
        Assert.Equal(300, Regex.Count(text, "data-testid=\"consumer-chip\""));

        // Text, not colour alone: the count and each chip say the state; the seventh consumer is counted, not shown.
        var first = rows.First;
        await Assertions.Expect(first.Locator("[data-testid=consumer-count]")).ToHaveTextAsync(["7 failed"]);
        var chips = first.Locator("[data-testid=consumer-chip]");
        await Assertions.Expect(chips).ToHaveCountAsync(6);
        await Assertions.Expect(chips.First).ToHaveTextAsync(WorstChipsPortal.Longest("cluster-2") + ": Failed");
        await Assertions.Expect(first).ToContainTextAsync("and 1 more");

        // What the tooltip said: pressing a chip opens its reason and times under the chips (aria-expanded); pressing another moves them; again closes.
        var detail = first.Locator("[data-testid=consumer-detail]");
        await Assertions.Expect(detail).ToHaveCountAsync(0);
        await Assertions.Expect(chips.First).ToHaveAttributeAsync("aria-expanded", "false");
        await chips.First.ClickAsync();
        await Assertions.Expect(chips.First).ToHaveAttributeAsync("aria-expanded", "true");
        var objectName = $"{WorstChipsPortal.Longest("svc-0000")}-{WorstChipsPortal.Longest("team0")}";
        await Assertions.Expect(detail).ToHaveTextAsync(new Regex(
            "^" + Regex.Escape($"{WorstChipsPortal.Longest("cluster-2")}: Failed. {WorstChipsPortal.Reason(objectName)} · last attempt ") + "(just now|\\d+ min ago) · last success \\d+ min ago$"));
        await session.ShotAsync("chips-1-failed-1440", fullPage: false);
        await chips.Nth(1).ClickAsync();
        await Assertions.Expect(detail).ToContainTextAsync(WorstChipsPortal.Longest("cluster-3") + ": Failed.");
        await Assertions.Expect(chips.First).ToHaveAttributeAsync("aria-expanded", "false");
        await chips.Nth(1).ClickAsync();
        await Assertions.Expect(detail).ToHaveCountAsync(0);

        // The state's colour class and its icon come from the stylesheet: the chip draws one.
        Assert.Equal("mask", await chips.First.EvaluateAsync<string>("e => getComputedStyle(e, '::before').maskImage.startsWith('url(') ? 'mask' : 'none'"));

        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id} — {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}").ToList();
        Assert.True(serious.Count == 0, "accessibility violations:\n" + string.Join("\n", serious));
        Assert.Empty(session.ConsoleErrors);
    }

    [BrowserFact]
    public async Task At_390px_a_failed_chip_opens_its_reason_and_the_page_does_not_scroll_sideways()
    {
        await using var session = await browser.SignedInAsync(worst.Portal.Address, width: 390, height: 844);
        var page = session.Page;
        await page.GotoAsync("/exports");
        await session.WaitInteractiveAsync();
        var first = page.Locator("[data-testid=export-table] tbody tr").First;
        var chips = first.Locator("[data-testid=consumer-chip]");
        await Assertions.Expect(chips).ToHaveCountAsync(6);
        await chips.First.ClickAsync();
        await Assertions.Expect(first.Locator("[data-testid=consumer-detail]")).ToContainTextAsync(WorstChipsPortal.Longest("cluster-2") + ": Failed. Applying ServiceEntry");
        await chips.First.ScrollIntoViewIfNeededAsync();
        await session.ShotAsync("chips-2-failed-390", fullPage: false);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the Exports page scrolls sideways at 390 px");
        // Nothing of the card sticks out of the screen: its host, cluster and chips (63-character names) wrap inside it.
        var outside = await first.EvaluateAsync<string[]>(
            "row => [...row.querySelectorAll('.mp-name-part, [data-testid=consumer-chip]')].filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth + 0.5; }).map(e => e.textContent)");
        Assert.True(outside.Length == 0, "past the screen's edge at 390 px: " + string.Join(", ", outside));
    }
}
