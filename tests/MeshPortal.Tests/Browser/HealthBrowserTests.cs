using MeshPortal.Core.Features.Probes;
using MeshPortal.Tests.Probes;
using MeshPortal.Tests.Support;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>
/// The Overview and the wall screen with faults injected into the simulated clusters: the exporter's gateway down, then the
/// consumer's API down with a failed sync. Both name the root cause, in large type on the screen (screenshots 82–87).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class HealthBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Overview_and_screen_name_the_root_cause_of_a_gateway_and_an_api_outage()
    {
        using var api = portal.CreateClient();
        await using var scenario = await ProbeScenario.StartAsync(portal, api, "ui-hlth");
        await scenario.ProbeUntilAsync(ProbeStatus.Ok);
        await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        var overview = await context.NewPageAsync();
        await Exports.ExportPortalHelpers.SignInAsync(overview);
        await Assertions.Expect(overview.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");
        await Assertions.Expect(overview.Locator("[data-testid=overview-state]")).ToBeVisibleAsync();
        await Assertions.Expect(overview.Locator("[data-testid=overview-problem]", new() { HasText = scenario.Exporter })).ToHaveCountAsync(0);
        await Assertions.Expect(overview.GetByText("will appear here once exports and probes are set up")).ToHaveCountAsync(0);

        var screen = await context.NewPageAsync();
        await screen.SetViewportSizeAsync(1920, 1080);
        await screen.GotoAsync("/screen");
        await Assertions.Expect(screen.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");
        var consumerTile = screen.Locator($"[data-testid=screen-tile][data-cluster='{scenario.Consumer}']");
        var exporterTile = screen.Locator($"[data-testid=screen-tile][data-cluster='{scenario.Exporter}']");
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
            var problem = overview.Locator("[data-testid=overview-problem][data-kind=GatewayUnreachable]", new() { HasText = title });
            await Assertions.Expect(problem).ToHaveCountAsync(1);
            await Assertions.Expect(problem.Locator("a.mp-problem-title")).ToHaveAttributeAsync("href", $"/clusters/{scenario.Exporter}");
            await Assertions.Expect(overview.Locator("[data-testid=overview-state]")).ToHaveAttributeAsync("data-level", "Failing");
            await Assertions.Expect(overview.Locator("[data-testid=overview-state]")).ToContainTextAsync("gateway unreachable");
            await Shot(overview, "82-overview-gateway-down");

            await Assertions.Expect(exporterTile).ToHaveAttributeAsync("data-state", "failing");
            await Assertions.Expect(exporterTile.Locator("[data-testid=tile-cause]")).ToHaveTextAsync("gateway unreachable");
            await Assertions.Expect(consumerTile).ToHaveAttributeAsync("data-state", "partial");
            await Assertions.Expect(consumerTile.Locator("[data-testid=tile-cause]")).ToHaveTextAsync($"affected: {scenario.Exporter} unreachable");
            await Assertions.Expect(screen.Locator("[data-testid=screen-problems]")).ToContainTextAsync(title);
            await Assertions.Expect(screen.Locator("[data-testid=screen-state]")).ToContainTextAsync("MESH FAILING");
            await Shot(screen, "83-screen-gateway-down-1080p");
            await AssertLargeAsync(screen, 1080);
            await screen.SetViewportSizeAsync(3840, 2160);
            await AssertLargeAsync(screen, 2160);
            await Shot(screen, "84-screen-gateway-down-4k");
            await screen.SetViewportSizeAsync(1920, 1080);

            // Topology: the exporter's node shows the derived cause instead of a green ring, and opens from the keyboard.
            var topology = await context.NewPageAsync();
            await topology.GotoAsync("/topology");
            await Assertions.Expect(topology.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");
            var node = topology.Locator($"[data-testid=node][data-node='{scenario.Exporter}']");
            await Assertions.Expect(node).ToHaveAttributeAsync("data-state", "failing");
            await Assertions.Expect(node.Locator("[data-testid=node-badge]")).ToHaveTextAsync("gateway unreachable");
            await Assertions.Expect(topology.Locator("[data-testid=node-legend]")).ToContainTextAsync("likely cause");
            await node.FocusAsync();
            await topology.Keyboard.PressAsync("Enter");
            await Assertions.Expect(topology.Locator("[data-testid=node-cause]")).ToHaveTextAsync("Likely cause: gateway unreachable");
            await Shot(topology, "88-topology-gateway-down");
            await topology.Locator("input[data-testid=filter-search], [data-testid=filter-search] input").First.FillAsync("no-such-host-anywhere");
            await Assertions.Expect(topology.Locator("[data-testid=topology-no-match]")).ToContainTextAsync("No link matches “no-such-host-anywhere”");
            await topology.CloseAsync();

            // The consumer's API goes down and a push to it fails: one problem, with the failed sync counted under it.
            exporterSim.Faults.GatewayDown = false;
            exporterSim.Faults.EastWestGatewayDown = false;
            await scenario.ProbeUntilAsync(ProbeStatus.Ok);
            consumerSim.Faults.ApiDown = true;
            await api.PostAsync($"/api/v1/clusters/{scenario.Consumer}/check", null);
            await api.PostAsync($"/api/v1/clusters/{scenario.Consumer}/sync", null);
            var apiProblem = overview.Locator("[data-testid=overview-problem][data-kind=ClusterUnreachable]", new() { HasText = $"{scenario.Consumer}: Kubernetes API unreachable" });
            await Assertions.Expect(apiProblem).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Assertions.Expect(consumerTile).ToHaveAttributeAsync("data-state", "failing");
            await Assertions.Expect(consumerTile.Locator("[data-testid=tile-cause]")).ToHaveTextAsync("Kubernetes API unreachable");
            await Assertions.Expect(consumerTile).ToContainTextAsync("API DOWN");
            await Shot(overview, "85-overview-api-down");
            await Shot(screen, "86-screen-api-down-1080p");
            await screen.SetViewportSizeAsync(3840, 2160);
            await Shot(screen, "87-screen-api-down-4k");

            // Counters link to filtered lists.
            await overview.Locator("[data-testid=overview-counter]", new() { HasText = "APIs unreachable" }).ClickAsync();
            await Assertions.Expect(overview).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/clusters\\?status=failing$"));
            await Assertions.Expect(overview.Locator("[data-testid=cluster-table]")).ToContainTextAsync(scenario.Consumer);
            await Assertions.Expect(overview.Locator("[data-testid=cluster-table]")).Not.ToContainTextAsync(scenario.Exporter);
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

    private Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, name + ".png") });
}
