using System.Net;
using System.Net.Http.Json;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Exports;

/// <summary>POST /api/v1/exports/preview against the shared portal and simulator: the would-be objects per cluster, nothing saved.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ExportPreviewApiTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Preview_shows_the_ServiceEntry_each_consumer_would_get_and_saves_nothing()
    {
        var exporter = await RegisterAsync(api, portal, "cluster-2", "exp-prev2");
        // Both names point at simulated cluster-2: registering a cluster pushes to it, and cluster-1 is the consumer the
        // seed's end-to-end test curls from, so this test leaves cluster-1 alone.
        var consumer = await RegisterAsync(api, portal, "cluster-2", "exp-prev1");
        try
        {
            var before = (await JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray().Count;

            var response = await api.PostAsJsonAsync("/api/v1/exports/preview", new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } });

            var body = await JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
            var forConsumer = body.AsArray().Single(p => (string?)p!["cluster"] == consumer)!;
            var entry = forConsumer["changes"]!.AsArray().Single(c => (string?)c!["kind"] == "ServiceEntry")!;
            Assert.Equal("create", (string?)entry["action"]);
            Assert.Equal("httpbin-bar-global", (string?)entry["name"]);
            Assert.Contains("httpbin.bar.global", (string?)entry["diff"]);
            // Not the placeholder id of an unsaved export (issue 16).
            Assert.Equal("new export", (string?)entry["source"]);
            Assert.DoesNotContain("export/0", body.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal(before, (await JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray().Count);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }

    [Fact]
    public async Task Preview_of_bad_input_is_the_same_specific_problem_as_a_save()
    {
        var exporter = await RegisterAsync(api, portal, "cluster-2", "exp-prevbad");
        try
        {
            var response = await api.PostAsJsonAsync("/api/v1/exports/preview", new { cluster = exporter, @namespace = "bar", service = "nope" });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no service 'nope' in namespace 'bar'", (await JsonAsync(response))["errors"]!["service"]![0]!.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
        }
    }
}
