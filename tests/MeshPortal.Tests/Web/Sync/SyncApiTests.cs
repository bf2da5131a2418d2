using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Tests.Web.Sync;

/// <summary>"Sync now" through the shared portal (real Hangfire, real simulator).</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class SyncApiTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Sync_now_returns_202_and_a_sync_run_appears()
    {
        var name = "sync-" + Guid.NewGuid().ToString("N")[..6];
        var registered = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = portal.Mesh["cluster-2"].KubeconfigYaml, context = "cluster-2" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        try
        {
            var response = await api.PostAsync($"/api/v1/clusters/{name}/sync", null);

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal($"/api/v1/clusters/{name}/sync-runs", response.Headers.Location?.ToString());
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("queued", (string?)body["status"]);
            Assert.StartsWith("manual", (string?)body["trigger"]);

            var runs = await Eventually.ReturnsAsync(
                async () => JsonNode.Parse(await api.GetStringAsync($"/api/v1/clusters/{name}/sync-runs"))!.AsArray(),
                list => list.Any(r => ((string?)r!["trigger"])?.StartsWith("manual", StringComparison.Ordinal) == true),
                "a manual sync run");
            var run = runs.First(r => ((string?)r!["trigger"])!.StartsWith("manual", StringComparison.Ordinal))!;
            Assert.NotNull(run["succeeded"]);
            Assert.NotNull(run["changes"]);

            var objects = await api.GetAsync($"/api/v1/clusters/{name}/managed-objects");
            Assert.Equal(HttpStatusCode.OK, objects.StatusCode);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{name}");
        }
    }

    [Fact]
    public async Task Sync_of_an_unknown_cluster_is_a_404_problem_and_readers_cannot_sync()
    {
        var missing = await api.PostAsync("/api/v1/clusters/no-such-cluster/sync", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var anonymous = portal.CreateClient(token: null);
        var denied = await anonymous.PostAsync("/api/v1/clusters/no-such-cluster/sync", null);
        Assert.True(denied.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, denied.StatusCode.ToString());
    }
}
