using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>The export page's "move to multi-primary" card: offered on a .global pair of two 1.8.0 primaries, live progress, the new name.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ExportMoveBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task The_export_page_moves_a_dot_global_export_and_then_tells_the_new_name()
    {
        var api = portal.CreateClient();
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "bm1", IstioVersion = "1.8.0", Profile = "multicluster-gateways", IngressRouterMode = "sni-dnat", ClusterId = "bm1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "bm2", IstioVersion = "1.8.0", Profile = "multicluster-gateways", IngressRouterMode = "sni-dnat", ClusterId = "bm2", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        AddWebService(mesh["bm2"]);
        var one = await RegisterAsync(api, mesh, "bm1", "bm1");
        var two = await RegisterAsync(api, mesh, "bm2", "bm2");
        int? id = null;
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(mesh["bm1"].Get("", "secrets", "istio-system", RemoteSecrets.SecretName("bm2"))),
                s => s is not null, "bm1 to hold the remote secret for bm2", TimeSpan.FromSeconds(60));
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = (int)(await JsonAsync(created))["id"]!;

            await using var session = await browser.SignedInAsync(portal.BaseAddress, width: 1440, height: 900);
            var page = session.Page;
            var form = session.ExportForm;
            await form.GotoEditAsync(id);
            var card = form.Move;
            await Assertions.Expect(card).ToHaveAttributeAsync("data-phase", "None");
            await Assertions.Expect(card).ToContainTextAsync("the .global name keeps working until then");
            await session.ShotAsync("70-export-move-offered");

            await page.ClickAsync("[data-testid=export-move-start]");
            await Assertions.Expect(card).ToHaveAttributeAsync("data-phase", "Moving");
            await Assertions.Expect(card.Locator("[data-testid=export-move-text]")).ToContainTextAsync("web.bar.global keeps working until the new name answers");
            await Assertions.Expect(card.Locator("[data-testid=export-move-stop]")).ToBeVisibleAsync();
            await session.ShotAsync("71-export-move-moving");

            // The consumer Service lands; the probes of the new name answer; the card follows live and names the new host.
            await Eventually.ReturnsAsync(() => Task.FromResult(mesh["bm1"].Get("", "services", "bar", "web")), s => s is not null, "the consumer Service", TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(async () =>
            {
                Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
                return (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["move"]!["phase"];
            }, p => p == "Moved", "the move to finish", TimeSpan.FromSeconds(90));
            await Assertions.Expect(card).ToHaveAttributeAsync("data-phase", "Moved");
            await Assertions.Expect(card.Locator("[data-testid=export-move-names]")).ToContainTextAsync("web.bar.svc.cluster.local");
            await Assertions.Expect(card.Locator("[data-testid=export-move-names]")).ToContainTextAsync($"called by {one}");
            await Assertions.Expect(card.Locator("[data-testid=export-move-start]")).ToHaveCountAsync(0);
            // After a reload the stored phase is still shown, and the form says each consumer now calls the new name.
            await page.ReloadAsync();
            await Assertions.Expect(card).ToHaveAttributeAsync("data-phase", "Moved");
            await Assertions.Expect(form.ConsumerMeaning).ToContainTextAsync($"{one} calls web.bar.svc.cluster.local");
            await Assertions.Expect(page.Locator("[data-testid=consumer-meaning-text]")).Not.ToContainTextAsync("The .global model");
            await session.ShotAsync("72-export-move-moved");
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }
}
