using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Simulator;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// Two Istio 1.24 primaries on two networks with an export of web (runs only in pb2) consumed by pb1: each piece removed by hand
/// shows its class on the probe (what the simulator's sidecar really answers), and the next sync heals what MeshPortal owns.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ModernProbeClassEndToEndTests(PortalFixture portal)
{
    private const string Name = "web.bar.svc.cluster.local";
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Each_piece_removed_by_hand_shows_its_probe_class_and_the_next_sync_heals_it()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "pb1", IstioVersion = "1.24.0", ClusterId = "pb1", MeshId = "mesh1", Network = "net1", GlobalNetwork = "net1", EastWestGateway = true, CacertsAtInstall = true },
                // pb2's install sets no values.global.network: its pods carry no network label, so istiod learns their network from
                // the istio-system label MeshPortal writes (MESH-RULES D7).
                new SimulatedClusterOptions { Name = "pb2", IstioVersion = "1.24.0", ClusterId = "pb2", MeshId = "mesh1", Network = "net2", EastWestGateway = true, CacertsAtInstall = true },
            ],
        });
        var pb1 = mesh["pb1"];
        var pb2 = mesh["pb2"];
        AddWebService(pb2);
        var one = await RegisterOnNetworkAsync(mesh, "pb1", "net1");
        var two = await RegisterOnNetworkAsync(mesh, "pb2", "net2");
        int? id = null;
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(pb1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("pb2"))),
                s => s is not null, "pb1 to hold the remote secret for pb2", TimeSpan.FromSeconds(60));
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            id = (int)(await JsonAsync(created))["id"]!;
            await ProbeUntilAsync(one, nameof(ProbeStatus.Ok), "the export to answer before anything is removed");

            // The remote secret: pb1's istiod loses pb2's endpoints.
            pb1.Delete("", "secrets", "istio-system", RemoteSecrets.SecretName("pb2"));
            var noSecret = await ProbeUntilAsync(one, nameof(ProbeStatus.NoUpstream), "no remote secret");
            Assert.StartsWith(ModernHints.NoRemoteSecret, (string?)noSecret["hint"], StringComparison.Ordinal);
            await SyncAsync(one);
            await ProbeUntilAsync(one, nameof(ProbeStatus.Ok), "the remote secret to be rewritten");

            // The consumer Service: the name no longer resolves in pb1.
            pb1.Delete("", "services", "bar", "web");
            var noName = await ProbeUntilAsync(one, nameof(ProbeStatus.Dns), "the DNS name to be missing");
            Assert.StartsWith(ModernHints.DnsMissing, (string?)noName["hint"], StringComparison.Ordinal);
            await SyncAsync(one);
            await ProbeUntilAsync(one, nameof(ProbeStatus.Ok), "the consumer Service to be recreated");

            // The network label on pb2's istio-system: its endpoints look local to pb1, which dials the pods on the other network directly.
            var ns = pb2.Get("", "namespaces", null, "istio-system")!;
            Assert.NotNull(ns["metadata"]!["labels"]!.AsObject().Remove("topology.istio.io/network") ? ns : null);
            pb2.Put(ns);
            var noLabel = await ProbeUntilAsync(one, nameof(ProbeStatus.Connect), "the network label to be missing");
            Assert.StartsWith(ModernHints.EastWestDown, (string?)noLabel["hint"], StringComparison.Ordinal);
            Assert.Contains("topology.istio.io/network", (string?)noLabel["hint"], StringComparison.Ordinal);
            await SyncAsync(two);
            await ProbeUntilAsync(one, nameof(ProbeStatus.Ok), "the network label to be put back");

            // The east-west gateway of pb2 goes down (the user's own: MeshPortal does not touch it, so this one stays broken until it is back).
            pb2.Faults.EastWestGatewayDown = true;
            var gatewayDown = await ProbeUntilAsync(one, nameof(ProbeStatus.Connect), "the east-west gateway to be down");
            Assert.StartsWith(ModernHints.EastWestDown, (string?)gatewayDown["hint"], StringComparison.Ordinal);
            pb2.Faults.EastWestGatewayDown = false;
            await ProbeUntilAsync(one, nameof(ProbeStatus.Ok), "the east-west gateway to be back");

            // An AuthorizationPolicy in pb2 that allows nobody: the mesh carries the call, the policy refuses it.
            pb2.Put("""
                {"apiVersion":"security.istio.io/v1beta1","kind":"AuthorizationPolicy","metadata":{"name":"deny-all","namespace":"bar"},"spec":{}}
                """);
            var denied = await ProbeUntilAsync(one, nameof(ProbeStatus.RbacDenied), "the policy to deny the probe");
            Assert.Contains("AuthorizationPolicy", (string?)denied["hint"], StringComparison.Ordinal);
            pb2.Delete("security.istio.io", "authorizationpolicies", "bar", "deny-all");
            await ProbeUntilAsync(one, nameof(ProbeStatus.Ok), "the policy to be gone");
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

    private async Task SyncAsync(string cluster) => Assert.True((await api.PostAsync($"/api/v1/clusters/{cluster}/sync", null)).IsSuccessStatusCode);

    /// <summary>Runs the probes until the consumer's result for the modern name has the status (each round a fresh probe).</summary>
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
