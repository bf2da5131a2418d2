using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Tests.Web.Exports;

/// <summary>limit/continue on the list APIs over HTTP: pages joined are the unpaged list, bad paging input is a specific 400.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ListPagingApiTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Theory]
    [InlineData("/api/v1/exports?limit=0", "limit must be between 1 and 1000")]
    [InlineData("/api/v1/exports?limit=1001", "limit must be between 1 and 1000")]
    [InlineData("/api/v1/exports?limit=5&continue=not-a-token", "not one this API issued")]
    [InlineData("/api/v1/reachability?limit=5001", "limit must be between 1 and 5000")]
    [InlineData("/api/v1/reachability?continue=djE6eA", "not one this API issued")]
    [InlineData("/api/v1/reachability?status=Purple", "'Purple' is not a probe class")]
    public async Task Bad_paging_input_is_a_specific_problem(string url, string message)
    {
        var response = await api.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]);
    }

    [Theory]
    [InlineData("/api/v1/exports", null)]
    [InlineData("/api/v1/reachability", "results")]
    public async Task Pages_joined_are_the_unpaged_list(string path, string? member)
    {
        JsonArray Items(JsonNode body) => member is null ? body.AsArray() : body[member]!.AsArray();
        var whole = Items((await api.GetFromJsonAsync<JsonNode>(path))!).Select(n => n!.ToJsonString()).ToList();
        var walked = new List<string>();
        string? next = null;
        do
        {
            var response = await api.GetAsync($"{path}?limit=1" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var items = Items((await response.Content.ReadFromJsonAsync<JsonNode>())!);
            Assert.InRange(items.Count, 0, 1);
            walked.AddRange(items.Select(n => n!.ToJsonString()));
            next = response.Headers.TryGetValues("X-Continue", out var values) ? values.Single() : null;
            Assert.True(next is null || items.Count == 1);
        }
        while (next is not null && walked.Count <= whole.Count);

        Assert.Equal(whole.Count, walked.Count);
        if (path.EndsWith("exports", StringComparison.Ordinal))
        {
            // Sync states move while other tests run; the exports themselves (ids, hosts) must match one for one.
            Assert.Equal(whole.Select(Id), walked.Select(Id));
        }
        else
        {
            Assert.Equal(whole.Select(Key), walked.Select(Key));
        }
    }

    private static string Id(string json) => JsonNode.Parse(json)!["id"]!.ToJsonString();

    private static string Key(string json)
    {
        var n = JsonNode.Parse(json)!;
        return $"{n["source"]}|{n["host"]}|{n["port"]}";
    }
}
