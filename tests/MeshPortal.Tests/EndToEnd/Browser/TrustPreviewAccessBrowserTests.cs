using System.Net;
using System.Net.Http.Json;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>Issue 16: the Trust page's rotation preview is collapsed by default, and a viewer (who cannot rotate) does not get it at all.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class TrustPreviewAccessBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Rotation_preview_is_collapsed_for_admins_and_absent_for_viewers()
    {
        var api = portal.CreateClient();
        await PortalApi.EnsureRootAsync(api);
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        var cluster = await PortalApi.RegisterAsync(api, mesh["cluster-1"], "trust-prev");
        var viewer = "tv-" + Guid.NewGuid().ToString("N")[..5];
        const string password = "Trust-Viewer-Password-1";
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/users", new { userName = viewer, password, role = "Viewer" })).StatusCode);
        try
        {
            foreach (var (user, pass, admin) in new[] { (PortalFixture.AdminUser, PortalFixture.AdminPassword, true), (viewer, password, false) })
            {
                await using var session = await browser.SignedInAsync(portal.BaseAddress, user, pass, width: 1440, height: 900);
                var trust = session.Trust;
                await trust.GotoAsync();
                await Assertions.Expect(trust.Rotation).ToContainTextAsync("Root rotation");
                await Assertions.Expect(session.Page.Locator("[data-testid=cluster-trust-table], table", new() { HasText = cluster }).First).ToBeVisibleAsync();
                await Assertions.Expect(trust.RotationPreview).ToHaveCountAsync(0);
                var toggle = trust.RotationPreviewToggle;
                if (admin)
                {
                    await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
                    await session.ShotAsync("21b-trust-preview-collapsed");
                    await toggle.ClickAsync();
                    await Assertions.Expect(trust.PreviewRow(cluster)).ToContainTextAsync("adds the next root beside");
                }
                else
                {
                    await Assertions.Expect(toggle).ToHaveCountAsync(0);
                    await Assertions.Expect(trust.RotationNext).ToHaveCountAsync(0);
                    await session.ShotAsync("21c-trust-viewer");
                }
            }
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{cluster}");
        }
    }
}
