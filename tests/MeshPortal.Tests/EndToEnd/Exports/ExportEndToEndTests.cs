using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// The seed's flow end to end through the real portal (API → Hangfire push → server-side apply) and the simulated mesh:
/// export httpbin/bar from cluster-2 to cluster-1, curl it from sleep, heal a hand edit, unexport.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ExportEndToEndTests(PortalFixture portal)
{
    private const string Group = "networking.istio.io";
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Export_Curl_Heal_Unexport()
    {
        // The seed's way: both clusters installed with cacerts from one root (created before Istio), so mTLS works from the start.
        var mesh = await portal.StartPrivateMeshAsync(cacertsAtInstall: true);
        var sim1 = mesh["cluster-1"];
        var sim2 = mesh["cluster-2"];
        var exporter = await RegisterAsync(api, mesh, "cluster-2", "exp-e2e2");
        var consumer = await RegisterAsync(api, mesh, "cluster-1", "exp-e2e1");
        int? id = null;
        try
        {
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });
            var export = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
            id = (int)export["id"]!;
            var address = (string)export["address"]!;

            var se = await Eventually.ReturnsAsync(() => Task.FromResult(ServiceEntry(sim1)), s => s is not null, "the ServiceEntry in cluster-1");
            Assert.Equal("meshportal", (string?)se!["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
            Assert.Equal(address, (string?)se["spec"]!["addresses"]![0]);
            Assert.Equal(sim2.GatewayLoadBalancerIp, (string?)se["spec"]!["endpoints"]![0]!["address"]);
            Assert.Null(ServiceEntry(sim2));
            Assert.Contains("global:53", (string?)sim1.Get("", "configmaps", "kube-system", "coredns")!["data"]!["Corefile"]);

            await Eventually.ReturnsAsync(() => ConsumerStateAsync(id.Value), s => s == "Synced", "the consumer to show Synced");
            var (exit, output) = await CurlFromSleepAsync(sim1, "-sI", "httpbin.bar.global:8000/headers");
            Assert.True(exit == 0 && output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), $"exit {exit}: {output}");

            // Someone edits the ServiceEntry by hand; the next push heals it.
            var edited = ServiceEntry(sim1)!;
            edited["spec"]!["addresses"] = new JsonArray("240.0.99.99");
            sim1.Put(edited);
            Assert.True((await api.PostAsync($"/api/v1/clusters/{consumer}/sync", null)).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(() => Task.FromResult((string?)ServiceEntry(sim1)?["spec"]?["addresses"]?[0]), a => a == address, "the hand edit to be healed");

            Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/exports/{id}")).StatusCode);
            id = null;
            await Eventually.ReturnsAsync(() => Task.FromResult(ServiceEntry(sim1)), s => s is null, "the ServiceEntry to be pruned");
            await Eventually.ReturnsAsync(() => Task.FromResult((string?)sim1.Get("", "configmaps", "kube-system", "coredns")!["data"]!["Corefile"]),
                c => c?.Contains("global:53", StringComparison.Ordinal) == false, "the global block to be removed from the Corefile");
            var (gone, goneOutput) = await CurlFromSleepAsync(sim1, "-sSI", "httpbin.bar.global:8000/headers");
            Assert.True(gone == 6, $"exit {gone}: {goneOutput}");
            Assert.Contains("Could not resolve host", goneOutput);
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
                await Eventually.ReturnsAsync(() => Task.FromResult(ServiceEntry(sim1)), s => s is null, "cleanup prune");
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }

    private static JsonObject? ServiceEntry(SimulatedCluster cluster) => cluster.Get(Group, "serviceentries", "meshportal-exports", "httpbin-bar-global");

    private async Task<string?> ConsumerStateAsync(int id) =>
        (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]?[0]?["state"];
}
