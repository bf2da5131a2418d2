using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>The Trust page during a root transition: the phase, the roll-out check, istiod restart, old pods and their commands, gateways.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class TrustTransitionBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task TrustPage_GuidesTheRootTransitionOfASelfSignedCluster()
    {
        var api = portal.CreateClient();
        await PortalApi.EnsureRootAsync(api);
        // A private self-signed 1.6.8 cluster: its first cacerts is a root transition.
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        var cluster = await PortalApi.RegisterAsync(api, mesh["cluster-1"], "trust-transition-ui");
        try
        {
            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var trust = session.Trust;
            await trust.GotoAsync();
            var panel = trust.Transition(cluster);
            await Assertions.Expect(panel.Locator("[data-testid=transition-phase]")).ToHaveTextAsync("Phase 1 of 3: bundle", new() { Timeout = 30_000 });

            await panel.Locator("[data-testid=rollout-check]").ClickAsync();
            await Assertions.Expect(panel.Locator("[data-testid=rollout-step]")).ToContainTextAsync("reads cacerts only when it starts", new() { Timeout = 15_000 });
            await Assertions.Expect(panel.Locator("[data-testid=advance]")).ToBeDisabledAsync();

            await panel.Locator("[data-testid=rollout-restart-istiod]").ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("is restarting");
            await panel.Locator("[data-testid=rollout-check]").ClickAsync();
            await Assertions.Expect(panel.Locator("[data-testid=stale-pods]")).ToContainTextAsync("istio-ingressgateway", new() { Timeout = 15_000 });
            await Assertions.Expect(panel.Locator("[data-testid=restart-commands]")).ToContainTextAsync("kubectl rollout restart deployment/httpbin -n bar");
            await session.ShotAsync("22-trust-transition");

            // The gateway pod listed now is replaced by a new one (which may itself still be listed when it started in the same second).
            var gatewayPod = (string)mesh["cluster-1"].List("", "pods", "istio-system").Select(p => p["metadata"]!["name"]!.GetValue<string>())
                .Single(n => n.StartsWith("istio-ingressgateway-", StringComparison.Ordinal));
            await Assertions.Expect(panel.Locator("[data-testid=stale-pods]")).ToContainTextAsync(gatewayPod);
            await panel.Locator("[data-testid=restart-gateways]").ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("Gateways of");
            await Assertions.Expect(panel.Locator("[data-testid=stale-pods]")).Not.ToContainTextAsync(gatewayPod);
            Assert.Null(mesh["cluster-1"].Get("", "pods", "istio-system", gatewayPod));
            Assert.Empty(session.ConsoleErrors);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }
}
