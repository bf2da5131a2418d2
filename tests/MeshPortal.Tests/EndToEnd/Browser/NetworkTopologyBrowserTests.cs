using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// Two Istio 1.28 primaries on two networks (Istio's multi-network guide, an east-west gateway each): the topology page draws a
/// column per network with each cluster's gateway, and when the exporter's east-west gateway goes down the failing link ends at
/// that gateway, which is red and says why.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class NetworkTopologyBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Host = "web.bar.svc.cluster.local";

    [BrowserFact]
    public async Task The_topology_groups_clusters_by_network_and_draws_a_down_east_west_gateway_as_the_cause()
    {
        var api = portal.CreateClient();
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "tn1", IstioVersion = "1.28.0", ClusterId = "tn1", MeshId = "mesh1", Network = "net1", GlobalNetwork = "net1", EastWestGateway = true, CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "tn2", IstioVersion = "1.28.0", ClusterId = "tn2", MeshId = "mesh1", Network = "net2", GlobalNetwork = "net2", EastWestGateway = true, CacertsAtInstall = true },
            ],
        });
        AddWebService(mesh["tn2"]);
        var one = await RegisterOnNetworkAsync(api, mesh, "tn1", "net1");
        var two = await RegisterOnNetworkAsync(api, mesh, "tn2", "net2");
        int? id = null;
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(mesh["tn1"].Get("", "secrets", "istio-system", RemoteSecrets.SecretName("tn2"))),
                s => s is not null, "tn1 to hold the remote secret for tn2", TimeSpan.FromSeconds(60));
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            id = (int)(await JsonAsync(created))["id"]!;
            await ProbeUntilAsync(api, one, nameof(ProbeStatus.Ok), "across networks through tn2's east-west gateway");

            // The API's nodes carry the network the check read.
            var topology = await JsonAsync(await api.GetAsync("/api/v1/topology"));
            var nodes = topology["nodes"]!.AsArray();
            Assert.Equal("net1", (string?)nodes.Single(n => (string?)n!["id"] == one)!["network"]);
            Assert.Equal("net2", (string?)nodes.Single(n => (string?)n!["id"] == two)!["network"]);

            await using var session = await browser.SignedInAsync(portal.BaseAddress, width: 1440, height: 900);
            var page = session.Page;
            var topologyPage = session.Topology;
            await topologyPage.GotoAsync();

            var net1 = topologyPage.NetworkGroup("net1");
            var net2 = topologyPage.NetworkGroup("net2");
            await Assertions.Expect(net1).ToHaveAttributeAsync("data-clusters", one);
            await Assertions.Expect(net2).ToHaveAttributeAsync("data-clusters", two);
            await Assertions.Expect(net1).ToContainTextAsync("network net1");
            var gateway = topologyPage.Gateway(two);
            await Assertions.Expect(gateway).ToHaveAttributeAsync("data-state", "ok");
            await Assertions.Expect(gateway).ToHaveAttributeAsync("data-network", "net2");
            await Assertions.Expect(topologyPage.Gateway(one)).ToHaveAttributeAsync("data-state", "unknown"); // nothing crosses into net1
            var edge = topologyPage.Edge(one, two);
            await Assertions.Expect(edge).ToHaveAttributeAsync("data-state", "ok");
            await Assertions.Expect(edge).ToHaveAttributeAsync("data-cross-network", "yes");
            await Assertions.Expect(edge).Not.ToHaveAttributeAsync("data-via", new System.Text.RegularExpressions.Regex(".+"));

            // The simulator's east-west gateway fault: tn1's link times out at tn2's gateway.
            mesh["tn2"].Faults.EastWestGatewayDown = true;
            await ProbeUntilAsync(api, one, nameof(ProbeStatus.Connect), "tn2's east-west gateway down");
            await Assertions.Expect(gateway).ToHaveAttributeAsync("data-state", "failing", new() { Timeout = 30_000 });
            await Assertions.Expect(gateway).ToHaveAttributeAsync("data-cause", "east-west gateway down — 1 link from other networks fails");
            await Assertions.Expect(gateway.Locator("[data-testid=gateway-badge]")).ToHaveTextAsync(" down · 1 link fails");
            await Assertions.Expect(edge).ToHaveAttributeAsync("data-via", $"ew:{two}");
            await Assertions.Expect(edge).ToHaveAttributeAsync("data-state", "failing");
            // The cluster is not blamed a second time: the gateway carries the cause.
            await Assertions.Expect(topologyPage.Node(two)).Not.ToHaveAttributeAsync("data-cause", "gateway unreachable");
            await session.ShotAsync("70-topology-networks-gateway-down");
            // The network groups and gateway nodes keep the page accessible (axe: nothing serious or critical).
            var axe = await page.RunAxe();
            var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {string.Join(" | ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}").ToList();
            Assert.True(serious.Count == 0, string.Join("; ", serious));

            await gateway.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=gateway-cause]")).ToContainTextAsync("east-west gateway down");
            await Assertions.Expect(topologyPage.Details).ToContainTextAsync("0/1 OK");

            await page.SetViewportSizeAsync(390, 844);
            await Assertions.Expect(gateway).ToHaveAttributeAsync("data-state", "failing");
            await session.ShotAsync("71-topology-networks-mobile");
        }
        finally
        {
            mesh["tn2"].Faults.EastWestGatewayDown = false;
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }

    private static async Task<JsonNode> ProbeUntilAsync(HttpClient api, string source, string status, string what) =>
        (await Eventually.ReturnsAsync(async () =>
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
            return ((await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"] as JsonArray ?? [])
                .FirstOrDefault(r => (string?)r!["source"] == source && (string?)r["host"] == Host && (string?)r["status"] == status);
        }, r => r is not null, $"the probe from {source} to show {status}: {what}", TimeSpan.FromSeconds(90)))!;

    private static async Task<string> RegisterOnNetworkAsync(HttpClient api, SimulatedMesh mesh, string simulated, string network)
    {
        var name = $"{simulated}-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = mesh[simulated].KubeconfigYaml, context = simulated, network });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }
}
