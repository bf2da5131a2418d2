using MeshPortal.Tests.Support;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>Issue 17 in Chromium: the Content-Security-Policy breaks no page, and the sign-in throttle reads well (screenshots 70–71).</summary>
[Collection(PortalCollection.Name)]
public sealed class SecurityBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task No_page_violates_the_content_security_policy()
    {
        await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add($"{page.Url}: {m.Text}");
                }
            }
        };

        await page.GotoAsync("/login");
        await page.FillAsync("#username", PortalFixture.AdminUser);
        await page.FillAsync("#password", PortalFixture.AdminPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(PortalFixture.AdminUser);

        foreach (var path in new[] { "/", "/clusters", "/exports", "/topology", "/reachability", "/tokens", "/audit", "/settings" })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");
        }

        await page.GotoAsync("/topology");
        await Assertions.Expect(page.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");
        await page.Mouse.WheelAsync(0, -200); // topology-zoom.js runs

        await page.GotoAsync("/jobs");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("MeshPortal jobs");
        await page.GotoAsync("/api-docs/");
        await Assertions.Expect(page.GetByText("MeshPortal API").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "70-api-docs-under-csp.png") });

        lock (violations)
        {
            Assert.Empty(violations);
        }
    }

    [BrowserFact]
    public async Task Repeated_failed_sign_ins_are_throttled_with_a_plain_message()
    {
        await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var name = "throttled-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 6; i++)
        {
            await page.GotoAsync("/login");
            await page.FillAsync("#username", name);
            await page.FillAsync("#password", "Wrong-Password-" + i);
            await page.ClickAsync("[data-testid=login-submit]");
            await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("Too many failed sign-ins. Wait a few minutes, then try again.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "71-login-throttled.png") });
    }
}
