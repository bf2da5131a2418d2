using System.Net;
using System.Net.Http.Json;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Trust;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>Issue 16: the Trust page's rotation preview is collapsed by default, and a viewer (who cannot rotate) does not get it at all.</summary>
[Collection(PortalCollection.Name)]
public sealed class TrustPreviewAccessBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Rotation_preview_is_collapsed_for_admins_and_absent_for_viewers()
    {
        var api = portal.CreateClient();
        await TrustPortalTests.EnsureRootAsync(api);
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        var cluster = await TrustOperationsPortalTests.RegisterAsync(api, mesh["cluster-1"], "trust-prev");
        var viewer = "tv-" + Guid.NewGuid().ToString("N")[..5];
        const string password = "Trust-Viewer-Password-1";
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/users", new { userName = viewer, password, role = "Viewer" })).StatusCode);
        try
        {
            foreach (var (user, pass, admin) in new[] { (PortalFixture.AdminUser, PortalFixture.AdminPassword, true), (viewer, password, false) })
            {
                await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = portal.BaseAddress.ToString(),
                    ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
                });
                var page = await context.NewPageAsync();
                await page.GotoAsync("/login");
                await page.FillAsync("#username", user);
                await page.FillAsync("#password", pass);
                await page.ClickAsync("[data-testid=login-submit]");
                await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(user);
                await page.GotoAsync("/trust");
                await MudSelectHelper.WaitInteractiveAsync(page);
                await Assertions.Expect(page.Locator("[data-testid=rotation]")).ToContainTextAsync("Root rotation");
                await Assertions.Expect(page.Locator("[data-testid=cluster-trust-table], table", new() { HasText = cluster }).First).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("[data-testid=rotation-preview]")).ToHaveCountAsync(0);
                var toggle = page.Locator("[data-testid=rotation-preview-toggle]");
                if (admin)
                {
                    await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "21b-trust-preview-collapsed.png"), FullPage = true });
                    await toggle.ClickAsync();
                    await Assertions.Expect(page.Locator("[data-testid=rotation-preview] tr", new() { HasText = cluster })).ToContainTextAsync("adds the next root beside");
                }
                else
                {
                    await Assertions.Expect(toggle).ToHaveCountAsync(0);
                    await Assertions.Expect(page.Locator("[data-testid=rotation-next]")).ToHaveCountAsync(0);
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "21c-trust-viewer.png"), FullPage = true });
                }
            }
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }
}
