using MeshPortal.Core.Features.Probes;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>Reachability, Topology and the wall screen in Chromium with one OK link and one DNS failure (screenshots 40–43).</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ProbeBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Reachability_Topology_and_Screen_show_probe_results()
    {
        using var api = portal.CreateClient();
        await using var scenario = await ProbeScenario.StartAsync(portal, api, "ui-prb");
        await scenario.ProbeUntilAsync(ProbeStatus.Ok);
        await using var session = await browser.SignedInAsync(portal.BaseAddress);
        var page = session.Page;

        await page.GotoAsync("/reachability");
        await session.WaitInteractiveAsync();
        var row = page.Locator("[data-testid=reachability-table] tr", new() { HasText = scenario.Consumer });
        await Assertions.Expect(row.Locator("[data-testid=probe-status]")).ToHaveTextAsync("OK");
        await session.ShotAsync("40-reachability");

        var topology = session.Topology;
        await page.GotoAsync("/topology");
        var edge = topology.Edge(scenario.Consumer, scenario.Exporter);
        await Assertions.Expect(edge).ToHaveAttributeAsync("data-state", "ok");
        await session.WaitInteractiveAsync();

        // Zoom and pan live outside Blazor's render tree: buttons, wheel and a background drag change the view...
        var graph = topology.Graph;
        var layer = topology.ZoomLayer;
        await page.ClickAsync("[data-testid=zoom-in]");
        await Assertions.Expect(graph).ToHaveAttributeAsync("data-zoom", "1.250");
        var zoomed = (await layer.GetAttributeAsync("transform"))!;
        var box = (await graph.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 6, box.Y + 6);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + 60, box.Y + 40, new() { Steps = 4 });
        await page.Mouse.UpAsync();
        await Assertions.Expect(layer).Not.ToHaveAttributeAsync("transform", zoomed);
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.WheelAsync(0, -120);
        await Assertions.Expect(graph).ToHaveAttributeAsync("data-zoom", "1.500");
        var view = (await layer.GetAttributeAsync("transform"))!;
        Assert.Contains("scale(1.500)", view);
        await session.ShotAsync("41b-topology-zoomed");

        await edge.Locator("line").Nth(1).ClickAsync(new() { Force = true });
        await Assertions.Expect(topology.Details).ToContainTextAsync("httpbin.bar.global:8000");
        await session.ShotAsync("41-topology");

        // Drill down: the edge's services with their own edges; a service edge opens its last results and history chart.
        var serviceEdge = topology.ServiceEdge("httpbin.bar.global:8000");
        await Assertions.Expect(serviceEdge).ToHaveAttributeAsync("data-state", "ok");
        await serviceEdge.Locator("rect").ClickAsync(new() { Force = true });
        await Assertions.Expect(page.Locator("[data-testid=service-details]")).ToContainTextAsync("OK");
        await Assertions.Expect(page.Locator("[data-testid=history-chart]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=availability-bar]").First).ToBeVisibleAsync();
        // Every latency point is drawn whole inside the chart, the newest bucket's on the right edge too (it was cut in half there).
        var points = page.Locator("[data-testid=latency-point]");
        await Assertions.Expect(points.First).ToBeVisibleAsync();
        var chartBox = (await page.Locator("[data-testid=history-chart]").BoundingBoxAsync())!;
        foreach (var point in await points.AllAsync())
        {
            var pointBox = (await point.BoundingBoxAsync())!;
            Assert.InRange(pointBox.X, chartBox.X, chartBox.X + chartBox.Width - pointBox.Width);
        }

        await Assertions.Expect(page.Locator("[data-testid=service-recent]")).ToContainTextAsync("OK");
        await session.ShotAsync("44-topology-service");

        // Filters: a namespace nobody exports hides the service; back to the cluster view, the edge is filtered out but the nodes stay.
        await topology.Filter("namespace").FillAsync("no-such-namespace");
        await Assertions.Expect(page.Locator("[data-testid=service-edge]")).ToHaveCountAsync(0);
        await page.ClickAsync("[data-testid=drill-back]");
        await Assertions.Expect(topology.Edge(scenario.Consumer, scenario.Exporter)).ToHaveCountAsync(0);
        await Assertions.Expect(topology.Node(scenario.Consumer)).ToHaveCountAsync(1);
        await topology.Filter("namespace").FillAsync("bar");
        await Assertions.Expect(edge).ToHaveAttributeAsync("data-state", "ok");
        // ...and survive the drill-down round trip, the filter re-renders and a reload (kept per browser); reset fits the whole mesh again.
        await Assertions.Expect(layer).ToHaveAttributeAsync("transform", view);
        await page.ReloadAsync();
        await Assertions.Expect(layer).ToHaveAttributeAsync("transform", view);
        await session.WaitInteractiveAsync();
        await page.ClickAsync("[data-testid=zoom-reset]");
        await Assertions.Expect(graph).ToHaveAttributeAsync("data-zoom", "1.000");

        // "Probe now" for one export from the Exports page.
        await session.Exports.GotoAsync();
        var exportRow = session.Exports.Row(scenario.Exporter);
        await exportRow.Locator("[data-testid=probe-export]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Probing httpbin.bar.global");

        // The cluster page's probe pod panel and the canary setting.
        await page.GotoAsync($"/clusters/{scenario.Consumer}");
        await Assertions.Expect(session.Cluster.ProbePodEffective).ToContainTextAsync("app=sleep");
        await session.ShotAsync("45-cluster-probe-pod");
        await page.GotoAsync("/settings");
        await Assertions.Expect(page.Locator("[data-testid=canary-setting]")).ToContainTextAsync("Canary");
        await session.ShotAsync("46-settings-canary");

        await page.GotoAsync("/screen");
        var tile = session.Screen.Tile(scenario.Consumer);
        await Assertions.Expect(tile).ToContainTextAsync("100%");
        await session.ShotAsync("42-screen");

        // Break DNS in the consumer: the screen updates live (no reload) with the class and hint.
        try
        {
            scenario.Mesh["cluster-1"].Faults.DnsBroken = true;
            await scenario.ProbeUntilAsync(ProbeStatus.Dns);
            await Assertions.Expect(session.Screen.Problems).ToContainTextAsync("DNS");
            await session.ShotAsync("43-screen-dns-broken");
        }
        finally
        {
            scenario.Mesh["cluster-1"].Faults.DnsBroken = false;
        }
    }
}
