using MeshPortal.Tests.Support;
using MeshPortal.Tests.Trust;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>
/// The Trust page's guided root rotation: per-cluster preview of each step, applied one explicit step at a time
/// (with a cluster of a private simulated mesh, so late pushes never touch the shared one).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class TrustRotationBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task TrustPage_PreviewsAndAppliesRotationSteps()
    {
        var api = portal.CreateClient();
        await TrustPortalTests.EnsureRootAsync(api);
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        var cluster = await TrustOperationsPortalTests.RegisterAsync(api, mesh["cluster-1"], "trust-rotui");
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
            var preview = page.Locator("[data-testid=rotation-preview]");
            await Assertions.Expect(preview).ToHaveCountAsync(0); // collapsed until asked for (issue 16)
            await page.ClickAsync("[data-testid=rotation-preview-toggle]");
            await Assertions.Expect(preview.Locator("tr", new() { HasText = cluster })).ToContainTextAsync("adds the next root beside");

            await page.ClickAsync("[data-testid=rotation-next]");
            await Assertions.Expect(page.Locator("[data-testid=trust-message]")).ToContainTextAsync("Phase 1 done");
            await Assertions.Expect(page.Locator("[data-testid=next-root-card]")).ToBeVisibleAsync();
            await Assertions.Expect(preview.Locator("tr", new() { HasText = cluster })).ToContainTextAsync("new key; re-issued by the next root");
            await Assertions.Expect(page.Locator("[data-testid=rotation-next]")).ToContainTextAsync("Phase 2");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "21-trust-rotation.png"), FullPage = true });

            // Phase 2 waits for the restarts (istiod 1.6.8 reads cacerts only at start): refused with the reason; the admin overrides.
            await page.ClickAsync("[data-testid=rotation-next]");
            await Assertions.Expect(page.Locator("[data-testid=trust-message]")).ToContainTextAsync("Phase 2 would break mTLS");
            await Assertions.Expect(page.Locator("[data-testid=trust-message]")).ToContainTextAsync(cluster);
            await page.ClickAsync("[data-testid=rotation-override]");
            await Assertions.Expect(page.Locator("[data-testid=trust-message]")).ToContainTextAsync("Phase 2 done");
            await page.ClickAsync("[data-testid=rotation-next]");
            await Assertions.Expect(page.Locator("[data-testid=trust-message]")).ToContainTextAsync("Phase 3 would break mTLS");
            await page.ClickAsync("[data-testid=rotation-override]");
            await Assertions.Expect(page.Locator("[data-testid=trust-message]")).ToContainTextAsync("Phase 3 done");
            await Assertions.Expect(page.Locator("[data-testid=next-root-card]")).ToHaveCountAsync(0);
            Assert.Empty(consoleErrors);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }
}
