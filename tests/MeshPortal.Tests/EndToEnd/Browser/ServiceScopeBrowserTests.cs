using MeshPortal.Core.Features.Exports;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>Settings → Mesh settings: the serviceSettings switch asks first, Cancel changes nothing, Turn on turns it on.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ServiceScopeBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task The_service_scope_switch_asks_first_and_then_turns_the_setting_on()
    {
        using var scope = portal.Services.CreateScope();
        var setting = scope.ServiceProvider.GetRequiredService<ServiceScopeService>();
        Assert.False(await setting.IsEnabledAsync(CancellationToken.None));
        await using var session = await browser.SignedInAsync(portal.BaseAddress, width: 1440, height: 900);
        var page = session.Page;
        try
        {
            await page.GotoAsync("/settings");
            await session.WaitInteractiveAsync();
            var card = page.Locator("[data-testid=service-scope-setting]");
            await Assertions.Expect(card).ToContainTextAsync("Every service is visible across the mesh");
            await card.Locator("input[type=checkbox]").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("services no export names stop answering from other clusters");
            await page.Locator(".mud-dialog button", new() { HasText = "Cancel" }).ClickAsync();
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
            Assert.False(await setting.IsEnabledAsync(CancellationToken.None));

            await card.Locator("input[type=checkbox]").ClickAsync();
            await page.Locator(".mud-dialog button", new() { HasText = "Turn on" }).ClickAsync();
            await Assertions.Expect(card).ToContainTextAsync("Only exported services leave their cluster");
            Assert.True(await setting.IsEnabledAsync(CancellationToken.None));
            await session.ShotAsync("73-service-scope-setting");
        }
        finally
        {
            await setting.SetEnabledAsync(false, MeshPortal.Core.Platform.Audit.AuditContext.System, CancellationToken.None);
        }
    }
}
