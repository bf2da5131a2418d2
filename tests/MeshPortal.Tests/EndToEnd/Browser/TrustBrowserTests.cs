using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class TrustBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task TrustPage_ShowsRootCardAndClusterTable()
    {
        var api = portal.CreateClient();
        await PortalApi.EnsureRootAsync(api);
        // A private simulated mesh: the push after "Re-issue" may still run when the test ends; it must not touch the shared mesh.
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        var cluster = await PortalApi.RegisterAsync(api, mesh["cluster-1"], "trust-ui");
        try
        {
            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var page = session.Page;
            var trust = session.Trust;
            await trust.GotoAsync();
            await Assertions.Expect(trust.RootCard).ToContainTextAsync("SHA-256 fingerprint");
            var row = trust.Row(cluster);
            await Assertions.Expect(row).ToContainTextAsync("Synced", new() { Timeout = 30_000 });
            // The footnote explains Adopt/Replace only when such a button is on the page (issue 16).
            var offered = await page.Locator("[data-testid=trust-table] button", new() { HasText = "Adopt" }).CountAsync()
                + await page.Locator("[data-testid=trust-table] button", new() { HasText = "Manage (replace)" }).CountAsync();
            var footnote = await trust.Footnote.InnerTextAsync();
            Assert.Equal(offered > 0, footnote.Contains("Adopt =", StringComparison.Ordinal));
            await Assertions.Expect(row).ToContainTextAsync("chains to root");
            await Assertions.Expect(row.Locator("[data-testid=restart-istiod]")).ToBeVisibleAsync();
            await session.ShotAsync("20-trust");

            await row.Locator("[data-testid=reissue]").ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("Re-issued 1 intermediate");
            Assert.Empty(session.ConsoleErrors);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }
}
