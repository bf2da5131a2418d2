using System.Net.Http.Json;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>The cluster page's sync section: managed objects with their states, "Sync now", and the sync history.</summary>
[Collection(PortalCollection.Name)]
public sealed class ClusterSyncBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Cluster_page_shows_managed_objects_and_sync_now_adds_a_run()
    {
        var name = "ui-sync-" + Guid.NewGuid().ToString("N")[..6];
        var api = portal.CreateClient();
        Assert.True((await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = portal.Mesh["cluster-2"].KubeconfigYaml, context = "cluster-2" })).IsSuccessStatusCode);
        var factory = portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        int id;
        await using (var db = await factory.CreateDbContextAsync())
        {
            id = await db.Clusters.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
        }

        // The registration's own push first, so that the rows below are not raced by it.
        await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.SyncRuns.CountAsync(r => r.ClusterId == id);
        }, n => n > 0, "the registration's sync run");

        await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, msg) => { if (msg.Type == "error") consoleErrors.Add(msg.Text); };
        await SignInAsync(page);

        await page.GotoAsync($"/clusters/{name}");
        await WaitInteractive(page);
        // Whatever the trust and exports sources produce for this cluster in this run of the suite: a table, or the honest empty state.
        var section = page.Locator("[data-testid=managed-objects]");
        await Assertions.Expect(section.Locator("[data-testid=managed-objects-table], [data-testid=empty-state]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=last-sync]")).ToContainTextAsync("succeeded");
        var runsBefore = await page.Locator("[data-testid=sync-run]").CountAsync();
        Assert.True(runsBefore > 0);
        await page.Locator("[data-testid=managed-objects]").ScrollIntoViewIfNeededAsync();
        await Shot(page, "20-cluster-managed-objects");

        await page.ClickAsync("[data-testid=sync-now]");
        await Assertions.Expect(page.Locator("[data-testid=sync-run]").First).ToContainTextAsync("manual");
        await Assertions.Expect(page.Locator("[data-testid=sync-run]")).ToHaveCountAsync(runsBefore + 1);
        await Shot(page, "21-cluster-after-sync-now");
        Assert.Empty(consoleErrors);
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#username", PortalFixture.AdminUser);
        await page.FillAsync("#password", PortalFixture.AdminPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(PortalFixture.AdminUser);
    }

    private static Task WaitInteractive(IPage page) =>
        Assertions.Expect(page.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");

    private Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, name + ".png"), FullPage = true });
}
