using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Probes;

/// <summary>
/// The seed's probe end to end: export httpbin/bar from cluster-2 to cluster-1 through the portal, probe from cluster-1's sleep
/// pod (one exec) → Ok with latency; gateway down → Connect; another root → Tls; service gone → NotFound; the consumer's API down → Unknown.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ProbeEndToEndTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Probe_Ok_then_Gateway_Trust_Service_faults_get_their_class_and_ApiDown_is_Unknown()
    {
        // The seed's way: both clusters installed with cacerts from one root (created before Istio), so mTLS works from the start.
        var mesh = await portal.StartPrivateMeshAsync(cacertsAtInstall: true);
        var sim1 = mesh["cluster-1"];
        var sim2 = mesh["cluster-2"];
        await PortalApi.EnsureRootAsync(api);
        var exporter = await RegisterAsync(api, mesh, "cluster-2", "prb-exp");
        var consumer = await RegisterAsync(api, mesh, "cluster-1", "prb-con");
        int? exportId = null;
        try
        {
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });
            var export = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
            exportId = (int)export["id"]!;
            await Eventually.ReturnsAsync(async () => (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{exportId}")))["consumers"]?[0]?["state"],
                s => s == "Synced", "the consumer to show Synced");
            var consumerId = await ClusterIdAsync(consumer);

            // "Probe now" through the API: 202, then the consumer's result turns Ok with a latency.
            var run = await api.PostAsync("/api/v1/reachability/run", null);
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
            var ok = await Eventually.ReturnsAsync(() => ResultAsync(consumer), r => (string?)r?["status"] == "Ok", "an Ok probe result from the consumer",
                TimeSpan.FromSeconds(60));
            Assert.Equal("httpbin.bar.global", (string?)ok!["host"]);
            Assert.Equal(8000, (int)ok["port"]!);
            Assert.Equal(200, (int?)ok["httpStatus"]);
            Assert.NotNull((double?)ok["latencyMs"]);
            Assert.NotNull((string?)ok["observedAt"]);

            var metrics = await api.GetStringAsync("/metrics");
            Assert.Contains($"meshportal_probe_success{{source=\"{consumer}\",target=\"{exporter}\",host=\"httpbin.bar.global\",port=\"8000\"}} 1", metrics);

            var topology = await JsonAsync(await api.GetAsync("/api/v1/topology"));
            var edge = topology["edges"]!.AsArray().Single(e => (string?)e!["source"] == consumer && (string?)e["target"] == exporter)!;
            Assert.Equal("ok", (string?)edge["state"]);
            Assert.Contains(topology["nodes"]!.AsArray(), n => (string?)n!["id"] == exporter && (string?)n["kind"] == "cluster");

            try
            {
                sim2.Faults.GatewayDown = true;
                var down = await RunAsync(consumerId);
                Assert.Equal(ProbeStatus.Connect, down.Classification.Status);
                Assert.Contains("15443", down.Classification.Hint);
            }
            finally
            {
                sim2.Faults.GatewayDown = false;
            }

            // cluster-2 gets a cacerts from another root; it takes effect when istiod and httpbin restart (as a user restarts them).
            var cacerts = sim2.Get("", "secrets", "istio-system", "cacerts")!;
            try
            {
                sim2.Put(ExportCacerts.Secret(ExportCacerts.Root(), "cluster-2"));
                SimRestarts.RolloutRestart(sim2, "istio-system", "istiod");
                SimRestarts.RolloutRestart(sim2, "bar", "httpbin");
                var tls = await RunAsync(consumerId);
                Assert.Equal(ProbeStatus.Tls, tls.Classification.Status);
                Assert.Contains("CERTIFICATE_VERIFY_FAILED", tls.Classification.Message);
            }
            finally
            {
                Put(sim2, cacerts);
                SimRestarts.RolloutRestart(sim2, "istio-system", "istiod");
                SimRestarts.RolloutRestart(sim2, "bar", "httpbin");
            }

            var service = sim2.Get("", "services", "bar", "httpbin")!;
            try
            {
                // The exporter's Service is gone: its gateway has no endpoints for the host any more (Envoy: 503 no healthy upstream).
                sim2.Delete("", "services", "bar", "httpbin");
                var gone = await RunAsync(consumerId);
                Assert.True(gone.Classification.Status == ProbeStatus.NoUpstream, gone.Classification.ToString());
            }
            finally
            {
                Put(sim2, service);
            }

            try
            {
                sim1.Faults.ApiDown = true;
                var unknown = await RunAsync(consumerId);
                Assert.Equal(ProbeStatus.Unknown, unknown.Classification.Status);
                Assert.Equal("Unknown", (string?)(await ResultAsync(consumer))!["status"]);
            }
            finally
            {
                sim1.Faults.ApiDown = false;
            }

            Assert.Equal(ProbeStatus.Ok, (await RunAsync(consumerId)).Classification.Status);
        }
        finally
        {
            if (exportId is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{exportId}");
                await Eventually.ReturnsAsync(() => Task.FromResult(sim1.Get("networking.istio.io", "serviceentries", "meshportal-exports", "httpbin-bar-global")),
                    s => s is null, "cleanup prune");
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }

    [Fact]
    public async Task Reachability_api_needs_sign_in_and_run_needs_write()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient(token: null).GetAsync("/api/v1/reachability")).StatusCode);
        var body = await JsonAsync(await api.GetAsync("/api/v1/reachability"));
        Assert.IsType<JsonArray>(body["results"]);
        var topology = await JsonAsync(await api.GetAsync("/api/v1/topology"));
        Assert.IsType<JsonArray>(topology["nodes"]);
        Assert.IsType<JsonArray>(topology["edges"]);
        var missing = await api.PostAsync("/api/v1/reachability/run?cluster=no-such-cluster", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nothing was probed", await missing.Content.ReadAsStringAsync());
    }

    private async Task<ProbeRecord> RunAsync(int clusterId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var records = await scope.ServiceProvider.GetRequiredService<ProbeRunner>().RunClusterAsync(clusterId, CancellationToken.None);
        return Assert.Single(records);
    }

    private async Task<int> ClusterIdAsync(string name)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        return await db.Clusters.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    private async Task<JsonNode?> ResultAsync(string source) =>
        (await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"]!.AsArray().FirstOrDefault(r => (string?)r!["source"] == source);

    private static void Put(SimulatedCluster cluster, JsonObject saved)
    {
        var copy = saved.DeepClone().AsObject();
        copy["metadata"]!.AsObject().Remove("resourceVersion");
        cluster.Put(copy);
    }
}
