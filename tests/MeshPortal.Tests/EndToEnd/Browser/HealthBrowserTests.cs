using MeshPortal.Core.Features.Probes;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// The Overview and the wall screen with faults injected into the simulated clusters: the exporter's gateway down, then the
/// consumer's API down with a failed sync. Both name the root cause, in large type on the screen (screenshots 82–87).
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class HealthBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Overview_and_screen_name_the_root_cause_of_a_gateway_and_an_api_outage()
    {
        using var api = portal.CreateClient();
        await using var scenario = await ProbeScenario.StartAsync(portal, api, "ui-hlth");
        await scenario.ProbeUntilAsync(ProbeStatus.Ok);
        await using var session = await browser.SignedInAsync(portal.BaseAddress, width: 1440, height: 900);
        var overview = session.Page;
        var overviewPage = session.Overview;
        await overviewPage.WaitInteractiveAsync();
        await Assertions.Expect(overviewPage.State).ToBeVisibleAsync();
        await Assertions.Expect(overviewPage.Problem(text: scenario.Exporter)).ToHaveCountAsync(0);
        await Assertions.Expect(overview.GetByText("will appear here once exports and probes are set up")).ToHaveCountAsync(0);

        var screen = await session.NewPageAsync();
        await screen.SetViewportSizeAsync(1920, 1080);
        var screenPage = new ScreenPage(screen);
        await screenPage.GotoAsync();
        var consumerTile = screenPage.Tile(scenario.Consumer);
        var exporterTile = screenPage.Tile(scenario.Exporter);
        await Assertions.Expect(consumerTile).ToHaveAttributeAsync("data-state", "ok");
        await Assertions.Expect(consumerTile).ToContainTextAsync("100%");

        var exporterSim = scenario.Mesh["cluster-2"];
        var consumerSim = scenario.Mesh["cluster-1"];
        try
        {
            // The exporter's gateway goes down: one cause at the exporter, not a red consumer.
            exporterSim.Faults.GatewayDown = true;
            exporterSim.Faults.EastWestGatewayDown = true;
            await scenario.ProbeUntilAsync(ProbeStatus.Connect);
            var title = $"{scenario.Exporter}: gateway unreachable — 1 link fails";
            var problem = overviewPage.Problem("GatewayUnreachable", title);
            await Assertions.Expect(problem).ToHaveCountAsync(1);
            await Assertions.Expect(problem.Locator("a.mp-problem-title")).ToHaveAttributeAsync("href", $"/clusters/{scenario.Exporter}");
            await Assertions.Expect(overviewPage.State).ToHaveAttributeAsync("data-level", "Failing");
            await Assertions.Expect(overviewPage.State).ToContainTextAsync("gateway unreachable");
            await browser.ShotAsync(overview, "82-overview-gateway-down", fullPage: false);

            await Assertions.Expect(exporterTile).ToHaveAttributeAsync("data-state", "failing");
            await Assertions.Expect(exporterTile.Locator("[data-testid=tile-cause]")).ToHaveTextAsync("gateway unreachable");
            await Assertions.Expect(consumerTile).ToHaveAttributeAsync("data-state", "partial");
            await Assertions.Expect(consumerTile.Locator("[data-testid=tile-cause]")).ToHaveTextAsync($"affected: {scenario.Exporter} unreachable");
            await Assertions.Expect(screenPage.Problems).ToContainTextAsync(title);
            await Assertions.Expect(screenPage.State).ToContainTextAsync("MESH FAILING");
            await browser.ShotAsync(screen, "83-screen-gateway-down-1080p", fullPage: false);
            await AssertLargeAsync(screen, 1080);
            await screen.SetViewportSizeAsync(3840, 2160);
            await AssertLargeAsync(screen, 2160);
            await browser.ShotAsync(screen, "84-screen-gateway-down-4k", fullPage: false);
            await screen.SetViewportSizeAsync(1920, 1080);

            // Topology: the exporter's node shows the derived cause instead of a green ring, and opens from the keyboard.
            var topology = await session.NewPageAsync();
            var topologyPage = new TopologyPage(topology);
            await topologyPage.GotoAsync();
            var node = topologyPage.Node(scenario.Exporter);
            await Assertions.Expect(node).ToHaveAttributeAsync("data-state", "failing");
            await Assertions.Expect(node.Locator("[data-testid=node-badge]")).ToHaveTextAsync("gateway unreachable");
            await Assertions.Expect(topology.Locator("[data-testid=node-legend]")).ToContainTextAsync("likely cause");
            await node.FocusAsync();
            await topology.Keyboard.PressAsync("Enter");
            await Assertions.Expect(topology.Locator("[data-testid=node-cause]")).ToHaveTextAsync("Likely cause: gateway unreachable");
            await browser.ShotAsync(topology, "88-topology-gateway-down", fullPage: false);
            await topologyPage.Filter("search").FillAsync("no-such-host-anywhere");
            await Assertions.Expect(topology.Locator("[data-testid=topology-no-match]")).ToContainTextAsync("No link matches “no-such-host-anywhere”");
            await topology.CloseAsync();

            // The consumer's API goes down and a push to it fails: one problem, with the failed sync counted under it.
            exporterSim.Faults.GatewayDown = false;
            exporterSim.Faults.EastWestGatewayDown = false;
            await scenario.ProbeUntilAsync(ProbeStatus.Ok);
            consumerSim.Faults.ApiDown = true;
            await api.PostAsync($"/api/v1/clusters/{scenario.Consumer}/check", null);
            await api.PostAsync($"/api/v1/clusters/{scenario.Consumer}/sync", null);
            var apiProblem = overviewPage.Problem("ClusterUnreachable", $"{scenario.Consumer}: Kubernetes API unreachable");
            await Assertions.Expect(apiProblem).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Assertions.Expect(consumerTile).ToHaveAttributeAsync("data-state", "failing");
            await Assertions.Expect(consumerTile.Locator("[data-testid=tile-cause]")).ToHaveTextAsync("Kubernetes API unreachable");
            await Assertions.Expect(consumerTile).ToContainTextAsync("API DOWN");
            await browser.ShotAsync(overview, "85-overview-api-down", fullPage: false);
            await browser.ShotAsync(screen, "86-screen-api-down-1080p", fullPage: false);
            await screen.SetViewportSizeAsync(3840, 2160);
            await browser.ShotAsync(screen, "87-screen-api-down-4k", fullPage: false);

            // Counters link to filtered lists.
            await overviewPage.Counter("APIs unreachable").ClickAsync();
            await Assertions.Expect(overview).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/clusters\\?status=failing$"));
            await Assertions.Expect(session.Clusters.Table).ToContainTextAsync(scenario.Consumer);
            await Assertions.Expect(session.Clusters.Table).Not.ToContainTextAsync(scenario.Exporter);
        }
        finally
        {
            exporterSim.Faults.GatewayDown = false;
            exporterSim.Faults.EastWestGatewayDown = false;
            consumerSim.Faults.ApiDown = false;
            await api.PostAsync($"/api/v1/clusters/{scenario.Consumer}/check", null);
        }
    }

    /// <summary>Readable from 3 m: the overall state and the tile names are at least 4 % of the screen height, whatever its size.</summary>
    private static async Task AssertLargeAsync(IPage page, int height)
    {
        var level = await page.Locator(".mp-screen-level").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        var name = await page.Locator(".mp-tile-name").First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(level >= 0.05 * height && name >= 0.04 * height, $"at {height} px: state {level} px, tile name {name} px");
    }
}
