using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Simulator;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// Two Istio 1.24 primaries on two networks; eg2 has no east-west gateway, so eg1 cannot reach its services. An admin asks
/// MeshPortal to deploy one: the simulator's injector and load balancer bring it up, traffic flows, a Deployment deleted by hand
/// shows on the probe and comes back on the next sync, withdrawing prunes it, and eg1's own gateway is never overwritten.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class EastWestGatewayEndToEndTests(PortalFixture portal)
{
    private const string Name = "web.bar.svc.cluster.local";
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task An_admin_deploys_the_east_west_gateway_it_carries_traffic_heals_and_is_pruned_and_a_users_gateway_is_left_alone()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "eg1", IstioVersion = "1.24.0", ClusterId = "eg1", MeshId = "mesh1", Network = "net1", GlobalNetwork = "net1", EastWestGateway = true, CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "eg2", IstioVersion = "1.24.0", ClusterId = "eg2", MeshId = "mesh1", Network = "net2", GlobalNetwork = "net2", CacertsAtInstall = true },
            ],
        });
        var eg1 = mesh["eg1"];
        var eg2 = mesh["eg2"];
        AddWebService(eg2);
        var one = await RegisterOnNetworkAsync(mesh, "eg1", "net1");
        var two = await RegisterOnNetworkAsync(mesh, "eg2", "net2");
        int? id = null;
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(eg1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("eg2"))),
                s => s is not null, "eg1 to hold the remote secret for eg2", TimeSpan.FromSeconds(60));
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            id = (int)(await JsonAsync(created))["id"]!;
            await ProbeUntilAsync(one, nameof(ProbeStatus.Connect), "no east-west gateway in net2 yet");

            // Only admins may ask, and bad requests change nothing.
            var viewer = await ViewerAsync();
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/clusters/{two}/east-west-gateway", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync("/api/v1/clusters/no-such-cluster/east-west-gateway", null)).StatusCode);
            Assert.Null(eg2.Get("apps", "deployments", "istio-system", EastWestGateway.Name));

            var asked = await api.PostAsync($"/api/v1/clusters/{two}/east-west-gateway", null);
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
            Assert.True((bool)(await JsonAsync(asked))["deployed"]!);
            Assert.True((bool)(await JsonAsync(await api.GetAsync($"/api/v1/clusters/{two}")))["deployEastWestGateway"]!);
            var audit = await JsonAsync(await api.GetAsync("/api/v1/audit?action=cluster.eastwest.deploy"));
            Assert.Contains(audit["items"]!.AsArray(), e => (string?)e!["target"] == two);

            // The injector fills the gateway pod, the cloud gives the Service an address, and eg1 reaches web through it.
            var deployment = await Eventually.ReturnsAsync(() => Task.FromResult(eg2.Get("apps", "deployments", "istio-system", EastWestGateway.Name)),
                d => d is not null, "MeshPortal's east-west gateway Deployment in eg2", TimeSpan.FromSeconds(60));
            Assert.Equal(ManagedLabels.ManagedByValue, (string?)deployment!["metadata"]!["labels"]![ManagedLabels.ManagedBy]);
            await Eventually.ReturnsAsync(() => Task.FromResult(eg2.Get("networking.istio.io", "gateways", "istio-system", MultiPrimaryPlanner.CrossNetworkGatewayName)),
                g => g is not null, "the cross-network Gateway on eg2", TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(eg1, "-sI", $"{Name}:8000/headers"),
                r => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "curl across networks through MeshPortal's gateway", TimeSpan.FromSeconds(60));

            // Deleted by hand: the probe says the east-west gateway is down, the next sync puts it back.
            eg2.Delete("apps", "deployments", "istio-system", EastWestGateway.Name);
            var down = await ProbeUntilAsync(one, nameof(ProbeStatus.Connect), "the east-west gateway Deployment deleted by hand");
            Assert.StartsWith(ModernHints.EastWestDown, (string?)down["hint"], StringComparison.Ordinal);
            Assert.True((await api.PostAsync($"/api/v1/clusters/{two}/sync", null)).IsSuccessStatusCode);
            await ProbeUntilAsync(one, nameof(ProbeStatus.Ok), "the gateway to be redeployed");

            // eg1's gateway was installed by hand: asking for one there changes nothing in it.
            var before = eg1.Get("", "services", "istio-system", EastWestGateway.Name)!.ToJsonString();
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/clusters/{one}/east-west-gateway", null)).StatusCode);
            await Eventually.ReturnsAsync(async () => JsonNode.Parse(await api.GetStringAsync($"/api/v1/clusters/{one}/sync-runs"))!.AsArray(),
                runs => runs.Any(r => (string?)r!["trigger"] == "east-west gateway requested" && (bool)r["succeeded"]!), "eg1's push after the request");
            var after = eg1.Get("", "services", "istio-system", EastWestGateway.Name)!;
            Assert.Null(after["metadata"]!["labels"]![ManagedLabels.ManagedBy]);
            Assert.Equal(before, after.ToJsonString());

            // Withdrawn: MeshPortal's objects are pruned.
            Assert.Equal(HttpStatusCode.Accepted, (await api.DeleteAsync($"/api/v1/clusters/{two}/east-west-gateway")).StatusCode);
            await Eventually.ReturnsAsync(() => Task.FromResult(eg2.Get("apps", "deployments", "istio-system", EastWestGateway.Name)),
                d => d is null, "MeshPortal's gateway Deployment to be pruned", TimeSpan.FromSeconds(60));
            // The prune deletes one object after the other: the Service and ServiceAccount may go a moment after the Deployment.
            await Eventually.ReturnsAsync(() => Task.FromResult(eg2.Get("", "services", "istio-system", EastWestGateway.Name)),
                s => s is null, "MeshPortal's gateway Service to be pruned", TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(() => Task.FromResult(eg2.Get("", "serviceaccounts", "istio-system", EastWestGateway.ServiceAccountName)),
                a => a is null, "MeshPortal's gateway ServiceAccount to be pruned", TimeSpan.FromSeconds(60));
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

    private async Task<HttpClient> ViewerAsync()
    {
        var user = await JsonAsync(await api.PostAsJsonAsync("/api/v1/users",
            new { userName = $"vw-{Guid.NewGuid().ToString("N")[..6]}", password = "Viewer-password-1234", role = "Viewer" }));
        using var scope = portal.Services.CreateScope();
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokenStore>().CreateAsync((string)user["id"]!, "ci", DateTimeOffset.UtcNow.AddHours(1), false);
        return portal.CreateClient(token.Token);
    }

    private async Task<JsonNode> ProbeUntilAsync(string source, string status, string what) =>
        (await Eventually.ReturnsAsync(async () =>
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
            return ((await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"] as JsonArray ?? [])
                .FirstOrDefault(r => (string?)r!["source"] == source && (string?)r["host"] == Name && (string?)r["status"] == status);
        }, r => r is not null, $"the probe from {source} to show {status}: {what}", TimeSpan.FromSeconds(90)))!;

    private async Task<string> RegisterOnNetworkAsync(SimulatedMesh mesh, string simulated, string network)
    {
        var name = $"{simulated}-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = mesh[simulated].KubeconfigYaml, context = simulated, network });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }
}
