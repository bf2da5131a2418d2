using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Postgres;

/// <summary>
/// The export flow end to end (API → Hangfire → server-side apply → curl in the simulated mesh → unexport) run against the
/// built portal as a separate process, once per provider. On PostgreSQL the unexport goes through a second replica after
/// the first was killed: it decrypts the kubeconfigs the first stored (one key ring in the database) and does the push.
/// </summary>
[Collection("postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class ProviderEndToEndTests(PostgresServer server)
{
    private const string Token = "mp_e2e-provider-token-0123456789abcdefghijklmnop";

    [Fact]
    [Trait("Provider", "Sqlite")]
    public Task Export_flow_on_sqlite() => RunAsync(new Dictionary<string, string>(), secondReplica: false);

    [PostgresFact]
    [Trait("Provider", "Postgres")]
    public async Task Export_flow_on_postgres_with_a_second_replica_taking_over() =>
        await RunAsync(new Dictionary<string, string>
        {
            ["MeshPortal__Replicas"] = "2",
            ["MeshPortal__Database__Provider"] = "Postgres",
            ["MeshPortal__Database__ConnectionString"] = await server.CreateDatabaseAsync("e2e"),
        }, secondReplica: true);

    private static async Task RunAsync(Dictionary<string, string> provider, bool secondReplica)
    {
        var settings = new Dictionary<string, string>(provider)
        {
            ["MeshPortal__Bootstrap__AdminPassword"] = PortalFixture.AdminPassword,
            ["MeshPortal__Bootstrap__AdminToken"] = Token,
            ["MeshPortal__Jobs__QueuePollMilliseconds"] = "100",
            ["MeshPortal__Jobs__ClusterCheckCron"] = "",
            ["MeshPortal__Sync__Cron"] = "",
            ["MeshPortal__Probes__Cron"] = "",
        };
        var data = Directory.CreateTempSubdirectory("meshportal-e2e-").FullName;
        // The seed's way: both clusters installed with cacerts from one root (created before Istio), so mTLS works from the start.
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions
        {
            Clusters = 2, AdminEndpoint = false, Defaults = new SimulatedClusterOptions { CacertsAtInstall = true },
        });
        var sim1 = mesh["cluster-1"];
        await using var first = PortalProcess.Start(Path.Combine(data, "a"), settings);
        try
        {
            await first.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            using var api = Client(first);
            // /readyz asks PostgreSQL whether it takes writes (not a standby, session not read-only).
            await Eventually.ReturnsAsync(() => api.GetAsync("/readyz"), r => r.StatusCode == HttpStatusCode.OK, "/readyz on PostgreSQL", TimeSpan.FromSeconds(60));
            var exporter = await RegisterAsync(api, mesh, "cluster-2", "e2e2");
            var consumer = await RegisterAsync(api, mesh, "cluster-1", "e2e1");
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });
            var export = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
            var id = (int)export["id"]!;

            var se = await Eventually.ReturnsAsync(() => Task.FromResult(ServiceEntry(sim1)), s => s is not null, "the ServiceEntry in cluster-1", TimeSpan.FromSeconds(60));
            Assert.Equal((string)export["address"]!, (string?)se!["spec"]!["addresses"]![0]);
            await Eventually.ReturnsAsync(() => ConsumerStateAsync(api, id), s => s == "Synced", "the consumer to show Synced", TimeSpan.FromSeconds(60));
            var (exit, output) = await CurlFromSleepAsync(sim1, "-sI", "httpbin.bar.global:8000/headers");
            Assert.True(exit == 0 && output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), $"exit {exit}: {output}");

            var unexportVia = api;
            PortalProcess? second = null;
            if (secondReplica)
            {
                second = PortalProcess.Start(Path.Combine(data, "b"), settings);
                await second.WaitHealthyAsync(TimeSpan.FromSeconds(120));
                first.KillHard();
                unexportVia = Client(second);
                Assert.Equal("Synced", await ConsumerStateAsync(unexportVia, id)); // same data, same token, from the other replica
            }

            await using (second)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await unexportVia.DeleteAsync($"/api/v1/exports/{id}")).StatusCode);
                await Eventually.ReturnsAsync(() => Task.FromResult(ServiceEntry(sim1)), s => s is null, "the ServiceEntry to be pruned", TimeSpan.FromSeconds(60));
                // The run that pruned it is recorded when it finishes, a moment after the object is gone.
                await Eventually.ReturnsAsync(async () => (await JsonAsync(await unexportVia.GetAsync($"/api/v1/clusters/{consumer}/sync-runs"))).AsArray(),
                    runs => runs.Any(r => (bool?)r?["succeeded"] == true && (int?)r?["deleted"] >= 1), "a recorded sync run that deleted the ServiceEntry");
            }
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static HttpClient Client(PortalProcess portal)
    {
        var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    private static JsonObject? ServiceEntry(SimulatedCluster cluster) => cluster.Get("networking.istio.io", "serviceentries", "meshportal-exports", "httpbin-bar-global");

    private static async Task<string?> ConsumerStateAsync(HttpClient api, int id) =>
        (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]?[0]?["state"];
}
