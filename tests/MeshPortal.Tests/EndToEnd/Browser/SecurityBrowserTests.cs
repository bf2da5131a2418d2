using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>Issue 17 in Chromium: the Content-Security-Policy breaks no page, and the sign-in throttle reads well (screenshots 70–71).</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class SecurityBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task No_page_violates_the_content_security_policy()
    {
        await using var session = await browser.OpenAsync(portal.BaseAddress);
        var page = session.Page;
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

        await session.SignInAsync();

        foreach (var path in new[] { "/", "/clusters", "/exports", "/topology", "/reachability", "/tokens", "/audit", "/settings" })
        {
            await page.GotoAsync(path);
            await session.WaitInteractiveAsync();
        }

        await page.GotoAsync("/topology");
        await session.WaitInteractiveAsync();
        await page.Mouse.WheelAsync(0, -200); // topology-zoom.js runs

        await page.GotoAsync("/jobs");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("MeshPortal jobs");
        await page.GotoAsync("/api-docs/");
        await Assertions.Expect(page.GetByText("MeshPortal API").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await session.ShotAsync("70-api-docs-under-csp", fullPage: false);

        lock (violations)
        {
            Assert.Empty(violations);
        }
    }

    [BrowserFact]
    public async Task Repeated_failed_sign_ins_are_throttled_with_a_plain_message()
    {
        await using var session = await browser.OpenAsync(portal.BaseAddress);
        var page = session.Page;
        var name = "throttled-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 6; i++)
        {
            await session.Login.SubmitAsync(name, "Wrong-Password-" + i);
            await Assertions.Expect(session.Login.Error).ToBeVisibleAsync();
        }

        await Assertions.Expect(session.Login.Error).ToHaveTextAsync("Too many failed sign-ins. Wait a few minutes, then try again.");
        await session.ShotAsync("71-login-throttled", fullPage: false);
    }
}
