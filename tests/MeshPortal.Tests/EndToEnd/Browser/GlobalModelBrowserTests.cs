using System.Net.Http.Json;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>What a user sees for a pair the .global model cannot carry: Unsupported with the reason, never green.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class GlobalModelBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Exports_reachability_and_cluster_pages_show_unsupported_with_the_reason()
    {
        var api = portal.CreateClient();
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "b168a", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "b168b", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "b124", IstioVersion = "1.24.0", CacertsAtInstall = true, ClusterId = "b124", MeshId = "mesh1" },
            ],
        });
        var a = await RegisterAsync(api, mesh, "b168a", "b168a");
        var b = await RegisterAsync(api, mesh, "b168b", "b168b");
        var modern = await RegisterAsync(api, mesh, "b124", "b124");
        int? id = null;
        try
        {
            var created = await JsonAsync(await api.PostAsJsonAsync("/api/v1/exports",
                new { cluster = b, @namespace = "bar", service = "httpbin", consumers = new[] { a, modern } }));
            id = (int)created["id"]!;
            await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]!.AsArray()
                .All(c => (string?)c!["state"] is "Synced" or "Unsupported"), ok => ok, "the consumers to settle");
            await api.PostAsync("/api/v1/reachability/run", null);
            await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"]!.AsArray()
                .Count(r => (string?)r!["source"] == a && (string?)r["status"] == "Ok" || (string?)r!["source"] == modern && (string?)r["status"] == "Unsupported"),
                n => n == 2, "an Ok and an Unsupported probe result", TimeSpan.FromSeconds(90));

            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var page = session.Page;

            await page.GotoAsync("/exports");
            var row = page.Locator("tr", new() { HasText = b });
            await Assertions.Expect(row.First).ToContainTextAsync("Unsupported");
            await session.ShotAsync("60-exports-unsupported");

            await page.GotoAsync("/reachability");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Unsupported");
            await session.ShotAsync("61-reachability-unsupported");

            // The cluster page lists every check run (the registration's and any re-check since), newest first.
            await session.Cluster.GotoAsync(modern);
            await Assertions.Expect(session.Cluster.CheckHistory.Locator("[data-testid=check-stages]").First).ToContainTextAsync(".global export: no");
            await session.ShotAsync("62-cluster-mesh-model");
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            foreach (var name in new[] { a, b, modern })
            {
                await api.DeleteAsync($"/api/v1/clusters/{name}");
            }
        }
    }
}
