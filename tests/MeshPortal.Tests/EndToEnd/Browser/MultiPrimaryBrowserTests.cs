using System.Net.Http.Json;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>The cluster page of a primary: its models, and the remote clusters its istiod has synced.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
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

            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var page = session.Page;

            await page.GotoAsync($"/clusters/{a}");
            var card = page.Locator("[data-testid=remote-clusters]");
            await session.WaitInteractiveAsync();
            await Assertions.Expect(card).ToContainTextAsync("recorded no unsynced remote cluster"); // nothing asked of istiod yet
            await page.ClickAsync("[data-testid=ask-istiod]");
            await Assertions.Expect(card).ToContainTextAsync(b);
            await Assertions.Expect(card).ToContainTextAsync("synced");
            await Assertions.Expect(page.Locator("[data-testid=mesh-model]")).ToContainTextAsync("Can join a multi-primary mesh");
            // The east-west gateway card: none here; asking for one on a cluster without a network says why and changes nothing.
            var eastWest = page.Locator("[data-testid=east-west-card]");
            await Assertions.Expect(eastWest.Locator("[data-testid=east-west-state]")).ToContainTextAsync("None.");
            await page.ClickAsync("[data-testid=east-west-deploy]");
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("has no network");
            await Assertions.Expect(eastWest.Locator("[data-testid=east-west-deploy]")).ToBeVisibleAsync();
            await session.ShotAsync("63-cluster-primary");
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{a}");
            await api.DeleteAsync($"/api/v1/clusters/{b}");
        }
    }

    [BrowserFact]
    public async Task Removing_meshportals_east_west_gateway_asks_first_and_cancel_keeps_it()
    {
        var api = portal.CreateClient();
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides = [new SimulatedClusterOptions { Name = "ew", IstioVersion = "1.24.0", ClusterId = "ew", MeshId = "mesh1", Network = "net-ew", CacertsAtInstall = true }],
        });
        var name = $"ew-{Guid.NewGuid().ToString("N")[..6]}";
        var registered = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = mesh["ew"].KubeconfigYaml, context = "ew", network = "net-ew" });
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
        try
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/clusters/{name}/east-west-gateway", null)).StatusCode);
            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var page = session.Page;
            await session.Cluster.GotoAsync(name);
            var withdraw = page.Locator("[data-testid=east-west-withdraw]");
            var dialog = session.Cluster.Dialog;

            // It removed the gateway at one click; now it asks, and Cancel keeps it.
            await withdraw.ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync($"Remove MeshPortal's east-west gateway from {name}?");
            await Assertions.Expect(dialog).ToContainTextAsync("network net-ew");
            await session.ShotAsync("63b-east-west-remove-confirm", fullPage: false);
            await dialog.Locator("button", new() { HasText = "Cancel" }).ClickAsync();
            await Assertions.Expect(dialog).ToHaveCountAsync(0);
            await Assertions.Expect(withdraw).ToBeVisibleAsync();

            await withdraw.ClickAsync();
            await dialog.Locator("button", new() { HasText = "Remove gateway" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=east-west-deploy]")).ToBeVisibleAsync();
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{name}");
        }
    }

    [BrowserFact]
    public async Task The_exports_page_shows_the_modern_name_each_consumer_calls_and_the_form_says_what_consumers_means()
    {
        var api = portal.CreateClient();
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "xa", IstioVersion = "1.24.0", ClusterId = "xa", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "xb", IstioVersion = "1.24.0", ClusterId = "xb", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "xc", IstioVersion = "1.24.0", ClusterId = "xc", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        AddWebService(mesh["xb"]);
        AddWebService(mesh["xc"]); // xc runs the same Service: istiod serves the host from both, and the export shows it
        var a = await RegisterAsync(api, mesh, "xa", "xa");
        var b = await RegisterAsync(api, mesh, "xb", "xb");
        var c = await RegisterAsync(api, mesh, "xc", "xc");
        int? id = null;
        try
        {
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = b, @namespace = "bar", service = "web", consumers = new[] { a } });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            id = (int)(await JsonAsync(created))["id"]!;
            Assert.True((await api.PostAsync($"/api/v1/clusters/{c}/sync", null)).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["sourceClusters"]!.AsArray().Count,
                n => n == 2, "xc to be seen serving web.bar", TimeSpan.FromSeconds(60));

            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var page = session.Page;

            await page.GotoAsync("/exports");
            var row = session.Exports.Row(b);
            await Assertions.Expect(row.Locator("[data-testid=export-modern-name]")).ToContainTextAsync($"web.bar.svc.cluster.local called by {a}");
            await Assertions.Expect(row.Locator("[data-testid=export-sources]")).ToContainTextAsync($"served from {b}, {c}");
            await session.ShotAsync("64-exports-modern-names");

            await page.GotoAsync($"/exports/{id}/edit");
            var meaning = session.ExportForm.ConsumerMeaning;
            await Assertions.Expect(meaning).ToContainTextAsync($"{a} calls web.bar.svc.cluster.local");
            await Assertions.Expect(meaning).ToContainTextAsync("it does not restrict traffic");
            await Assertions.Expect(page.Locator("[data-testid=consumer-meaning-sources]")).ToHaveTextAsync($"served from {b}, {c}");
            await session.ShotAsync("65-export-form-consumers-meaning");
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{a}");
            await api.DeleteAsync($"/api/v1/clusters/{b}");
            await api.DeleteAsync($"/api/v1/clusters/{c}");
        }
    }
}
