using MeshPortal.Tests.Support;
using MeshPortal.Tests.Trust;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public sealed class TrustBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task TrustPage_ShowsRootCardAndClusterTable()
    {
        var api = portal.CreateClient();
        await TrustPortalTests.EnsureRootAsync(api);
        // A private simulated mesh: the push after "Re-issue" may still run when the test ends; it must not touch the shared mesh.
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        var cluster = await TrustOperationsPortalTests.RegisterAsync(api, mesh["cluster-1"], "trust-ui");
        try
        {
            await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = portal.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            });
            var page = await context.NewPageAsync();
            var consoleErrors = new List<string>();
            page.Console += (_, msg) => { if (msg.Type == "error") consoleErrors.Add(msg.Text); };

            await page.GotoAsync("/login");
            await page.FillAsync("#username", PortalFixture.AdminUser);
            await page.FillAsync("#password", PortalFixture.AdminPassword);
            await page.ClickAsync("[data-testid=login-submit]");
            await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(PortalFixture.AdminUser);

            await page.GotoAsync("/trust");
            await Assertions.Expect(page.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");
            await Assertions.Expect(page.Locator("[data-testid=root-card]")).ToContainTextAsync("SHA-256 fingerprint");
            var row = page.Locator("[data-testid=trust-table] tr", new() { HasText = cluster });
            await Assertions.Expect(row).ToContainTextAsync("Synced", new() { Timeout = 30_000 });
            // The footnote explains Adopt/Replace only when such a button is on the page (issue 16).
            var offered = await page.Locator("[data-testid=trust-table] button", new() { HasText = "Adopt" }).CountAsync()
                + await page.Locator("[data-testid=trust-table] button", new() { HasText = "Manage (replace)" }).CountAsync();
            var footnote = await page.Locator("[data-testid=trust-footnote]").InnerTextAsync();
            Assert.Equal(offered > 0, footnote.Contains("Adopt =", StringComparison.Ordinal));
            await Assertions.Expect(row).ToContainTextAsync("chains to root");
            await Assertions.Expect(row.Locator("[data-testid=restart-istiod]")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "20-trust.png"), FullPage = true });

            await row.Locator("[data-testid=reissue]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=trust-message]")).ToContainTextAsync("Re-issued 1 intermediate");
            Assert.Empty(consoleErrors);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }
}
