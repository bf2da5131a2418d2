using System.Net.Http.Json;
using MeshPortal.Core.MultiCluster;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support;
using Microsoft.Playwright;
using static MeshPortal.Tests.Exports.ExportPortalHelpers;

namespace MeshPortal.Tests.Browser;

/// <summary>The cluster page of a primary: its models, and the remote clusters its istiod has synced.</summary>
[Collection(PortalCollection.Name)]
public sealed class MultiPrimaryBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task A_primary_shows_its_remote_clusters_synced()
    {
        var api = portal.CreateClient();
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "pa", IstioVersion = "1.24.0", ClusterId = "pa", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "pb", IstioVersion = "1.24.0", ClusterId = "pb", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var a = await RegisterAsync(api, mesh, "pa", "pa");
        var b = await RegisterAsync(api, mesh, "pb", "pb");
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(mesh["pa"].Get("", "secrets", "istio-system", RemoteSecrets.SecretName("pb"))),
                s => s is not null, "pa to hold the remote secret for pb", TimeSpan.FromSeconds(60));

            await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = portal.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            });
            var page = await context.NewPageAsync();
            await SignInAsync(page);

            await page.GotoAsync($"/clusters/{a}");
            var card = page.Locator("[data-testid=remote-clusters]");
            await Assertions.Expect(page.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");
            await Assertions.Expect(card).ToContainTextAsync("recorded no unsynced remote cluster"); // nothing asked of istiod yet
            await page.ClickAsync("[data-testid=ask-istiod]");
            await Assertions.Expect(card).ToContainTextAsync(b);
            await Assertions.Expect(card).ToContainTextAsync("synced");
            await Assertions.Expect(page.Locator("[data-testid=mesh-model]")).ToContainTextAsync("Can join a multi-primary mesh");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "63-cluster-primary.png"), FullPage = true });
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{a}");
            await api.DeleteAsync($"/api/v1/clusters/{b}");
        }
    }
}
