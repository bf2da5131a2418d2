using System.Net;
using System.Net.Http.Json;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Exports;

/// <summary>The exports API against the shared portal and simulator: bad input gets a specific problem and saves nothing.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ExportApiTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    public static TheoryData<string, object, HttpStatusCode, string, string> BadInputs() => new()
    {
        { "bad namespace", new { cluster = "{exporter}", @namespace = "Bar_", service = "httpbin" }, HttpStatusCode.BadRequest, "namespace", "not a valid namespace name" },
        { "bad service", new { cluster = "{exporter}", @namespace = "bar", service = "-x" }, HttpStatusCode.BadRequest, "service", "not a valid service name" },
        { "unknown cluster", new { cluster = "no-such-cluster", @namespace = "bar", service = "httpbin" }, HttpStatusCode.BadRequest, "cluster", "No cluster named 'no-such-cluster'" },
        { "missing service", new { cluster = "{exporter}", @namespace = "bar", service = "nope" }, HttpStatusCode.BadRequest, "service", "no service 'nope' in namespace 'bar'" },
        { "port not on service", new { cluster = "{exporter}", @namespace = "bar", service = "httpbin", ports = new[] { 9000 } }, HttpStatusCode.BadRequest, "ports", "Port 9000 is not on service bar/httpbin" },
        { "port out of range", new { cluster = "{exporter}", @namespace = "bar", service = "httpbin", ports = new[] { 70000 } }, HttpStatusCode.BadRequest, "ports", "out of range" },
        { "to itself", new { cluster = "{exporter}", @namespace = "bar", service = "httpbin", consumers = new[] { "{exporter}" } }, HttpStatusCode.BadRequest, "consumers", "exporting cluster itself" },
        { "unknown consumer", new { cluster = "{exporter}", @namespace = "bar", service = "httpbin", consumers = new[] { "ghost-cluster" } }, HttpStatusCode.BadRequest, "consumers", "'ghost-cluster' is not a registered cluster" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Create_BadInput_IsASpecificProblem_AndSavesNothing(string what, object body, HttpStatusCode status, string field, string message)
    {
        var exporter = await RegisterAsync(api, portal, "cluster-2", "exp-bad");
        try
        {
            var json = System.Text.Json.JsonSerializer.Serialize(body).Replace("{exporter}", exporter);
            var before = (await JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray().Count;
            var response = await api.PostAsync("/api/v1/exports", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            var problem = await JsonAsync(response);
            Assert.True(status == response.StatusCode, $"{what}: {(int)response.StatusCode} {problem.ToJsonString()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(message, problem["errors"]![field]![0]!.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, (await JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray().Count);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
        }
    }

    [Fact]
    public async Task Create_Get_Duplicate_Edit_Delete()
    {
        var exporter = await RegisterAsync(api, portal, "cluster-2", "exp-api2");
        var consumer = await RegisterAsync(api, portal, "cluster-1", "exp-api1");
        try
        {
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });
            var export = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
            var id = (int)export["id"]!;
            Assert.Equal($"/api/v1/exports/{id}", created.Headers.Location?.ToString());
            Assert.Equal("httpbin.bar.global", (string?)export["host"]);
            Assert.StartsWith("240.0.", (string?)export["address"]);
            Assert.Equal("""[{"name":"http","number":8000,"protocol":"HTTP"}]""", export["ports"]!.ToJsonString());
            var state = (string?)export["consumers"]![0]!["state"];
            Assert.Equal(consumer, (string?)export["consumers"]![0]!["cluster"]);
            Assert.Contains(state, new[] { "Pending", "Synced" });

            var again = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("already exported", (await JsonAsync(again))["detail"]!.ToString());
            var fromOther = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = consumer, @namespace = "bar", service = "httpbin", consumers = new[] { exporter } });
            Assert.Equal(HttpStatusCode.Conflict, fromOther.StatusCode);
            Assert.Contains($"already exported from cluster {exporter}", (await JsonAsync(fromOther))["detail"]!.ToString());

            var got = await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}"));
            Assert.Equal(export["address"]!.ToString(), got["address"]!.ToString());
            Assert.Contains((await JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray(), e => (int)e!["id"]! == id);

            var edited = await api.PutAsJsonAsync($"/api/v1/exports/{id}", new { ports = new[] { 8000 }, consumers = new[] { consumer } });
            var editedJson = await JsonAsync(edited);
            Assert.True(edited.IsSuccessStatusCode, editedJson.ToJsonString());
            Assert.False((bool)editedJson["allConsumers"]!);
            var toItself = await api.PutAsJsonAsync($"/api/v1/exports/{id}", new { consumers = new[] { exporter } });
            Assert.Equal(HttpStatusCode.BadRequest, toItself.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"/api/v1/exports/{id}", new { ports = new[] { 1234 } })).StatusCode);

            Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/exports/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/exports/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/api/v1/exports/{id}")).StatusCode);
        }
        finally
        {
            await CleanupAsync(exporter, consumer);
        }
    }

    [Fact]
    public async Task ReadOnlyOrAnonymousCallers_CannotExport()
    {
        using var anonymous = portal.CreateClient(token: null);
        var response = await anonymous.PostAsJsonAsync("/api/v1/exports", new { cluster = "x", @namespace = "bar", service = "httpbin" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task CleanupAsync(params string[] clusters)
    {
        foreach (var e in (await JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray())
        {
            if (clusters.Contains((string?)e!["cluster"]))
            {
                await api.DeleteAsync($"/api/v1/exports/{e["id"]}");
            }
        }

        // Let the pushes prune what the exports wrote, so the shared simulator is left as it was found.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(portal.Mesh["cluster-1"].Get("networking.istio.io", "serviceentries", "meshportal-exports", "httpbin-bar-global")),
            se => se is null, "the ServiceEntry to be pruned");
        foreach (var c in clusters)
        {
            await api.DeleteAsync($"/api/v1/clusters/{c}");
        }
    }
}
