using System.Text.RegularExpressions;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// The portal goes away under open pages (a real portal process, killed): every page shows one reconnect state, styled,
/// with the time the connection was lost; the wall screen shows it large (screenshots 80–81).
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed partial class ReconnectBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly string[] StateTexts =
    [
        "Rejoining the server", "Rejoin failed", "Failed to rejoin", "The session has been paused", "Failed to resume the session",
    ];

    [BrowserFact]
    public async Task A_lost_portal_shows_one_reconnect_state_and_since_when_on_every_page()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-reconnect-").FullName;
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["MeshPortal__Demo__Clusters"] = "0",
                ["MeshPortal__Bootstrap__AdminPassword"] = PortalFixture.AdminPassword,
            });
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            await using var session = await browser.SignedInAsync(portal.Address, width: 1920, height: 1080);
            var overview = session.Page;
            await session.WaitInteractiveAsync();
            var screen = await session.NewPageAsync();
            await new ScreenPage(screen).GotoAsync();

            // While connected nothing of the reconnect UI is visible (before the fix every state's text was).
            foreach (var text in StateTexts)
            {
                await Assertions.Expect(overview.GetByText(text)).Not.ToBeVisibleAsync();
            }

            portal.KillHard();

            foreach (var page in new[] { overview, screen })
            {
                var since = page.Locator("[data-testid=reconnect-since]");
                await Assertions.Expect(since).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await Assertions.Expect(since).ToHaveTextAsync(SinceText());
                // One snapshot of every state's visibility (checked one by one, Blazor can move from "show" to "retrying"
                // between two checks and both texts look visible).
                var visible = await page.Locator("#components-reconnect-modal").EvaluateAsync<string[]>(
                    "(dialog, texts) => texts.filter(t => [...dialog.querySelectorAll('p')].some(p => p.textContent.includes(t) && p.checkVisibility()))",
                    StateTexts);

                // A modal in the top layer (above the app bar and MudBlazor's popovers), fully faded in.
                await Assertions.Expect(page.Locator("#components-reconnect-modal:modal")).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToHaveCSSAsync("opacity", "1");
                var classes = await page.Locator("#components-reconnect-modal").GetAttributeAsync("class");
                Assert.True(visible.Length == 1, $"exactly one reconnect state visible, saw: {string.Join(" | ", visible)} (dialog class '{classes}')");
            }

            // Styled: the dialog is a card, not text over the app bar; on the screen it covers most of the TV in large type.
            var card = await overview.Locator("#components-reconnect-modal").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth");
            Assert.Equal("6px", card);
            var sinceSize = await screen.Locator("[data-testid=reconnect-since]").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
            Assert.True(sinceSize >= 60, $"the screen's 'disconnected since' is large (was {sinceSize}px)");
            await browser.ShotAsync(overview, "80-reconnect-overview", fullPage: false);
            await browser.ShotAsync(screen, "81-reconnect-screen-1080p", fullPage: false);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold a file for a moment.
            }
        }
    }

    [GeneratedRegex(@"^Disconnected since \d\d:\d\d$")]
    private static partial Regex SinceText();
}
