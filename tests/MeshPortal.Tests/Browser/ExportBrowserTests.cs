using System.Net.Http.Json;
using MeshPortal.Tests.Exports;
using MeshPortal.Tests.Support;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>The exports pages in Chromium: pick cluster, namespace and service from the live lists, preview, save, see the chips, unexport.</summary>
[Collection(PortalCollection.Name)]
public sealed class ExportBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Export_WithPreview_ThenUnexport()
    {
        using var api = portal.CreateClient();
        var exporter = await ExportPortalHelpers.RegisterAsync(api, portal, "cluster-2", "ui-exp2");
        var consumer = await ExportPortalHelpers.RegisterAsync(api, portal, "cluster-1", "ui-exp1");
        await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, msg) => { if (msg.Type == "error") consoleErrors.Add(msg.Text); };
        try
        {
            await page.GotoAsync("/login");
            await page.FillAsync("#username", PortalFixture.AdminUser);
            await page.FillAsync("#password", PortalFixture.AdminPassword);
            await page.ClickAsync("[data-testid=login-submit]");
            await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(PortalFixture.AdminUser);

            await page.GotoAsync("/exports/new");
            await MudSelectHelper.WaitInteractiveAsync(page);
            await MudSelectHelper.PickAsync(page, "field-cluster", exporter);
            await MudSelectHelper.PickAsync(page, "field-namespace", "bar");
            await MudSelectHelper.PickAsync(page, "field-service", "httpbin");
            await Shot(page, "19-export-picked");
            await Assertions.Expect(page.Locator(".mud-checkbox", new() { HasText = "8000" })).ToHaveCountAsync(1);
            await page.GetByText("Only these clusters").ClickAsync();
            await page.Locator(".mud-checkbox", new() { HasText = consumer }).ClickAsync();
            await page.ClickAsync("[data-testid=preview-export]");
            await Shot(page, "19b-after-preview");
            await Assertions.Expect(page.Locator("[data-testid=preview-diff]", new() { HasText = "httpbin.bar.global" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-testid=preview-panel]")).ToContainTextAsync("Update");
            await Shot(page, "20-export-preview");

            await page.ClickAsync("[data-testid=save-export]");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/exports$"));
            var row = page.Locator("[data-testid=export-table] tr", new() { HasText = "httpbin.bar.global" });
            await Assertions.Expect(row).ToContainTextAsync("240.0.");
            await Assertions.Expect(row.Locator("[data-testid=consumer-chip]")).ToContainTextAsync(consumer);
            await Eventually.ReturnsAsync(async () =>
            {
                await page.ClickAsync("[data-testid=refresh-exports]");
                return await row.Locator("[data-testid=consumer-chip]").InnerTextAsync();
            }, t => t.Contains("Synced", StringComparison.Ordinal), "the consumer chip to show Synced");
            await Shot(page, "21-exports-list");

            await row.Locator("button[aria-label=Unexport]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync($"{consumer} will lose the ServiceEntry");
            await Shot(page, "22-unexport-confirm");
            await page.Locator(".mud-dialog button", new() { HasText = "Unexport" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=export-table] tr", new() { HasText = "httpbin.bar.global" })).ToHaveCountAsync(0);
            await Shot(page, "23-exports-after-unexport");
            Assert.Empty(consoleErrors);
        }
        finally
        {
            foreach (var e in (await ExportPortalHelpers.JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray())
            {
                if ((string?)e!["cluster"] == exporter)
                {
                    await api.DeleteAsync($"/api/v1/exports/{e["id"]}");
                }
            }

            await Eventually.ReturnsAsync(
                () => Task.FromResult(portal.Mesh["cluster-1"].Get("networking.istio.io", "serviceentries", "meshportal-exports", "httpbin-bar-global")),
                se => se is null, "the ServiceEntry to be pruned");
            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }

    /// <summary>Issue 16: the preview of a host that is already exported shows the conflict Save would refuse, not a clean plan.</summary>
    [BrowserFact]
    public async Task Preview_of_an_already_exported_host_shows_the_conflict()
    {
        using var api = portal.CreateClient();
        var exporter = await ExportPortalHelpers.RegisterAsync(api, portal, "cluster-2", "ui-dup2");
        var consumer = await ExportPortalHelpers.RegisterAsync(api, portal, "cluster-2", "ui-dup1");
        var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });
        var export = await ExportPortalHelpers.JsonAsync(created);
        await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        try
        {
            Assert.True(created.IsSuccessStatusCode, export.ToJsonString());
            await page.GotoAsync("/login");
            await page.FillAsync("#username", PortalFixture.AdminUser);
            await page.FillAsync("#password", PortalFixture.AdminPassword);
            await page.ClickAsync("[data-testid=login-submit]");
            await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(PortalFixture.AdminUser);

            await page.GotoAsync("/exports/new");
            await MudSelectHelper.WaitInteractiveAsync(page);
            await MudSelectHelper.PickAsync(page, "field-cluster", exporter);
            await MudSelectHelper.PickAsync(page, "field-namespace", "bar");
            await MudSelectHelper.PickAsync(page, "field-service", "httpbin");
            await page.ClickAsync("[data-testid=preview-export]");
            await Assertions.Expect(page.Locator("[data-testid=preview-conflict]")).ToContainTextAsync($"already exported from this cluster (export {export["id"]})");
            await Assertions.Expect(page.Locator("[data-testid=preview-diff]")).ToHaveCountAsync(0);
            await Shot(page, "20b-export-preview-conflict");
        }
        finally
        {
            if (export["id"] is { } id)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }

    private Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, name + ".png"), FullPage = true });
}
