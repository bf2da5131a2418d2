using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// The Trust page's guided root rotation: per-cluster preview of each step, applied one explicit step at a time
/// (with a cluster of a private simulated mesh, so late pushes never touch the shared one).
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class TrustRotationBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task TrustPage_PreviewsAndAppliesRotationSteps()
    {
        var api = portal.CreateClient();
        await PortalApi.EnsureRootAsync(api);
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        var cluster = await PortalApi.RegisterAsync(api, mesh["cluster-1"], "trust-rotui");
        try
        {
            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var trust = session.Trust;
            await trust.GotoAsync();
            var preview = trust.RotationPreview;
            await Assertions.Expect(preview).ToHaveCountAsync(0); // collapsed until asked for (issue 16)
            await trust.RotationPreviewToggle.ClickAsync();
            await Assertions.Expect(trust.PreviewRow(cluster)).ToContainTextAsync("adds the next root beside");

            await trust.RotationNext.ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("Phase 1 done");
            await Assertions.Expect(trust.NextRootCard).ToBeVisibleAsync();
            await Assertions.Expect(trust.PreviewRow(cluster)).ToContainTextAsync("new key; re-issued by the next root");
            await Assertions.Expect(trust.RotationNext).ToContainTextAsync("Phase 2");
            await session.ShotAsync("21-trust-rotation");

            // Phase 2 waits for the restarts (istiod 1.6.8 reads cacerts only at start): refused with the reason; the admin overrides.
            await trust.RotationNext.ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("Phase 2 would break mTLS");
            await Assertions.Expect(trust.Message).ToContainTextAsync(cluster);
            await trust.RotationOverride.ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("Phase 2 done");
            await trust.RotationNext.ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("Phase 3 would break mTLS");
            await trust.RotationOverride.ClickAsync();
            await Assertions.Expect(trust.Message).ToContainTextAsync("Phase 3 done");
            await Assertions.Expect(trust.NextRootCard).ToHaveCountAsync(0);
            Assert.Empty(session.ConsoleErrors);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }
}
