using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>API tokens, Audit, Screen tokens and the API page in Chromium (screenshots 50–55); the wall screen opened with a screen token.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class AuditBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Html = "<img src=x onerror=\"document.title='pwned'\"><b>bold</b>";

    [BrowserFact]
    public async Task Tokens_and_audit_pages_record_the_browser_and_render_html_as_text()
    {
        await using var session = await browser.SignedInAsync(portal.BaseAddress);
        var page = session.Page;

        // A token created on the page: the value is shown once, the audit entry carries this browser's IP and user agent.
        var name = "ci " + Guid.NewGuid().ToString("N")[..6] + " " + Html;
        await page.GotoAsync("/tokens");
        await MudSelectHelper.WaitInteractiveAsync(page);
        await PortalPage.Field(page, "token-name").FillAsync(name);
        await page.ClickAsync("[data-testid=token-readonly]");
        await page.ClickAsync("[data-testid=token-create]");
        var value = await page.Locator("[data-testid=token-value]").TextContentAsync();
        Assert.StartsWith("mp_", value);
        var row = page.Locator("[data-testid=token-row]", new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("read-only");
        Assert.Equal(0, await page.Locator("[data-testid=token-table] img").CountAsync());
        await session.ShotAsync("50-api-tokens");

        // The token works once, then the list shows when it was last used.
        using (var api = portal.CreateClient(value))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/clusters")).StatusCode);
        }

        await page.ReloadAsync();
        await Assertions.Expect(row.Locator("[data-testid=token-last-used]")).Not.ToHaveTextAsync("never");

        // Audit page: filter by text; HTML in any field is shown as text.
        await portal.Services.GetRequiredService<IAuditLog>().RecordAsync(new AuditContext(Html),
            new AuditEvent("export.changed", "export", Html, "summary " + Html, Before: new { Note = Html }));
        await page.GotoAsync("/audit");
        await MudSelectHelper.WaitInteractiveAsync(page);
        await PortalPage.Field(page, "audit-text").FillAsync(name[..9]);
        await page.ClickAsync("[data-testid=audit-apply]");
        var entry = page.Locator("[data-testid=audit-row]", new() { HasText = "token.created" });
        await Assertions.Expect(entry).ToHaveCountAsync(1);
        await Assertions.Expect(entry).ToContainTextAsync("127.0.0.1");
        await Assertions.Expect(entry).ToContainTextAsync("HeadlessChrome");
        await Assertions.Expect(entry).ToContainTextAsync(Html);
        await session.ShotAsync("51-audit-filtered");

        await PortalPage.Field(page, "audit-text").FillAsync("summary <img");
        await page.ClickAsync("[data-testid=audit-apply]");
        await Assertions.Expect(page.Locator("[data-testid=audit-summary]").First).ToHaveTextAsync("summary " + Html);
        Assert.Equal(0, await page.Locator("[data-testid=audit-table] img, [data-testid=audit-table] b").CountAsync());
        Assert.NotEqual("pwned", await page.TitleAsync());
        await PortalPage.Field(page, "audit-text").FillAsync("");
        await page.ClickAsync("[data-testid=audit-apply]");
        await Assertions.Expect(page.Locator("[data-testid=audit-row]").First).ToBeVisibleAsync();
        await session.ShotAsync("52-audit");
    }

    [BrowserFact]
    public async Task A_screen_token_shows_the_live_screen_and_nothing_else_until_revoked()
    {
        using var api = portal.CreateClient();
        await using var scenario = await ProbeScenario.StartAsync(portal, api, "ui-scr");
        await scenario.ProbeUntilAsync(ProbeStatus.Ok);

        await using var adminSession = await browser.SignedInAsync(portal.BaseAddress);
        var admin = adminSession.Page;
        var tokenName = "NOC wall " + Guid.NewGuid().ToString("N")[..4];
        await admin.GotoAsync("/screen-tokens");
        await MudSelectHelper.WaitInteractiveAsync(admin);
        await PortalPage.Field(admin, "screen-token-name").FillAsync(tokenName);
        await admin.ClickAsync("[data-testid=screen-token-create]");
        var link = (await admin.Locator("[data-testid=screen-token-link]").TextContentAsync())!.Trim();
        Assert.Contains("/screen?token=mps_", link);
        await browser.ShotAsync(admin, "53-screen-tokens");

        // A TV that never signed in.
        await using var tvSession = await browser.OpenAsync(portal.BaseAddress);
        var tv = tvSession.Page;
        await tv.GotoAsync(link);
        Assert.EndsWith("/screen", tv.Url);
        await MudSelectHelper.WaitInteractiveAsync(tv);
        var tile = tv.Locator("[data-testid=screen-tile]", new() { HasText = scenario.Consumer });
        await Assertions.Expect(tile).ToContainTextAsync("100%");
        await browser.ShotAsync(tv, "54-screen-with-token");

        try
        {
            // Live over the screen token's circuit: a probe cycle's result appears without a reload.
            scenario.Mesh["cluster-1"].Faults.DnsBroken = true;
            await scenario.ProbeUntilAsync(ProbeStatus.Dns);
            await Assertions.Expect(tv.Locator("[data-testid=screen-problems]")).ToContainTextAsync("DNS");
        }
        finally
        {
            scenario.Mesh["cluster-1"].Faults.DnsBroken = false;
        }

        // Inside the circuit, navigating elsewhere renders nothing of the portal.
        await tv.EvaluateAsync("() => Blazor.navigateTo('/clusters')");
        await Assertions.Expect(tv.Locator("[data-testid=screen-only]")).ToBeVisibleAsync();
        Assert.Equal(0, await tv.Locator("[data-testid=nav]").CountAsync());

        // Over HTTP every other page asks for a sign-in.
        await tv.GotoAsync("/clusters");
        Assert.Contains("/login", tv.Url);
        await tv.GotoAsync("/screen");
        await Assertions.Expect(tile).ToBeVisibleAsync();
        await MudSelectHelper.WaitInteractiveAsync(tv);

        // Revoked on the admin page: the open screen blanks at its next refresh, a reload is refused.
        await admin.ReloadAsync();
        // A click on the prerendered page (before the circuit is up) does nothing: wait for interactivity first.
        await MudSelectHelper.WaitInteractiveAsync(admin);
        await admin.Locator("[data-testid=screen-token-row]", new() { HasText = tokenName }).Locator("[data-testid=screen-token-revoke]").ClickAsync();
        await Assertions.Expect(admin.Locator(".mud-dialog")).ToContainTextAsync("goes blank at its next refresh");
        await admin.Locator(".mud-dialog button", new() { HasText = "Revoke" }).ClickAsync();
        await Assertions.Expect(admin.Locator("[data-testid=screen-token-row]", new() { HasText = tokenName })).ToContainTextAsync("revoked");
        // The next probe cycle's event makes the open screen refresh, and find its token revoked.
        await Eventually.ReturnsAsync(async () =>
        {
            await scenario.RunAsync();
            return await tv.Locator("[data-testid=screen-revoked]").CountAsync();
        }, shown => shown > 0, "the open screen to blank after its token was revoked");
        var reload = await tv.ReloadAsync();
        Assert.Equal(401, reload!.Status);
    }

    [BrowserFact]
    public async Task The_API_page_renders_from_the_portal_alone()
    {
        await using var session = await browser.SignedInAsync(portal.BaseAddress);
        var page = session.Page;
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            var uri = new Uri(request.Url);
            if (uri.Scheme is "http" or "https" && uri.Host != portal.BaseAddress.Host)
            {
                external.Add(request.Url);
            }
        };
        await page.GotoAsync("/api-docs/");
        await Assertions.Expect(page.GetByText("/api/v1/tokens").First).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByText("MeshPortal API").First).ToBeVisibleAsync();
        await session.ShotAsync("55-api-docs", fullPage: false);
        Assert.Empty(external);
    }
}
