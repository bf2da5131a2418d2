using MeshPortal.Core.Features.Probes;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>Issue 16: the canary switch writes to every cluster, so it asks first; Cancel changes nothing.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class CanaryConfirmBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Canary_switch_asks_first_and_cancel_changes_nothing()
    {
        using var scope = portal.Services.CreateScope();
        var canary = scope.ServiceProvider.GetRequiredService<CanaryService>();
        var before = await canary.IsEnabledAsync(CancellationToken.None);
        await using var session = await browser.SignedInAsync(portal.BaseAddress);
        var page = session.Page;

        await page.GotoAsync("/settings");
        await session.WaitInteractiveAsync();
        var setting = page.Locator("[data-testid=canary-setting]");
        var label = before ? "Canary deployed in every cluster" : "Canary off";
        await Assertions.Expect(setting).ToContainTextAsync(label);
        await setting.Locator("input[type=checkbox]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("every cluster");
        await session.ShotAsync("46b-canary-confirm", fullPage: false);
        await page.Locator(".mud-dialog button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

        await Assertions.Expect(setting).ToContainTextAsync(label);
        Assert.Equal(before, await canary.IsEnabledAsync(CancellationToken.None));
        Assert.Equal(before, await setting.Locator("input[type=checkbox]").IsCheckedAsync());
    }
}
