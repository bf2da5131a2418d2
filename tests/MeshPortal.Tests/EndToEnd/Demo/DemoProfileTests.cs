using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MeshPortal.Tests.Support.Browser;

namespace MeshPortal.Tests.EndToEnd.Demo;

/// <summary>
/// The README's demo command, as a real portal process: the default (modern) profile comes up as an Istio 1.28
/// multi-primary mesh on two networks with httpbin exported from cluster-2 and probed Ok from cluster-1 by its own name;
/// <c>MeshPortal__Demo__Profile=seed</c> brings the seed's 1.6.8 <c>.global</c> mesh with httpbin.bar.global Ok.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class DemoProfileTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Token = "mp_demo-profile-token-0123456789abcdefghijklmnop";

    [Theory]
    [InlineData("modern", "httpbin.bar.svc.cluster.local", "1.28.0")]
    [InlineData("seed", "httpbin.bar.global", "1.6.8")]
    public async Task The_demo_comes_up_with_a_working_link(string profile, string host, string istio)
    {
        var data = Directory.CreateTempSubdirectory("meshportal-demo-").FullName;
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development", // as the README's `dotnet run --launch-profile demo`
                ["MeshPortal__Demo__Clusters"] = "3",
                ["MeshPortal__Demo__Profile"] = profile,
                ["MeshPortal__Bootstrap__AdminPassword"] = PortalFixture.AdminPassword,
                ["MeshPortal__Bootstrap__AdminToken"] = Token,
                ["MeshPortal__Jobs__QueuePollMilliseconds"] = "100",
            });
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(120));
            using var api = new HttpClient { BaseAddress = portal.Address };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

            var clusters = JsonNode.Parse(await api.GetStringAsync("/api/v1/clusters"))!.AsArray();
            Assert.Equal(3, clusters.Count);
            Assert.All(clusters, c => Assert.Equal(istio, (string?)c!["istioVersion"]));
            await Eventually.ReturnsAsync(async () => JsonNode.Parse(await api.GetStringAsync("/api/v1/exports"))!.AsArray()
                    .SelectMany(e => e!["consumers"]!.AsArray()).Select(c => (string?)c!["state"]).ToList(),
                states => states.Count > 0 && states.All(s => s == "Synced"), $"the {profile} demo's export to show Synced", TimeSpan.FromSeconds(120));

            Assert.True((await api.PostAsync("/api/v1/reachability/run", null)).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(async () => (JsonNode.Parse(await api.GetStringAsync("/api/v1/reachability"))!["results"] as JsonArray ?? [])
                    .Any(r => (string?)r!["source"] == "cluster-1" && (string?)r["host"] == host && (string?)r["status"] == "Ok"),
                ok => ok, $"an Ok probe of {host} from cluster-1 ({profile} demo)", TimeSpan.FromSeconds(120));

            if (browser.Browser is not null)
            {
                // What a newcomer sees first: the pages the demo fills.
                await using var session = await browser.SignedInAsync(portal.Address);
                foreach (var path in new[] { "exports", "reachability", "topology" })
                {
                    await session.Page.GotoAsync("/" + path);
                    await session.WaitInteractiveAsync();
                    await session.ShotAsync($"70-demo-{profile}-{path}");
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
