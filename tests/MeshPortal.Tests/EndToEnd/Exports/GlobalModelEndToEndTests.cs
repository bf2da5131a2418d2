using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Simulator;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// Issue 14's mesh: two Istio 1.6.8 clusters installed the seed's way, one 1.9.3 and one 1.24 cluster (default profiles), and a
/// 1.6.8 cluster on Kubernetes 1.15. Only the 1.6.8 pair may show Synced and Ok; every export touching 1.9.3 or 1.24 is
/// Unsupported with the reason, what an earlier MeshPortal wrote there is pruned, and the 1.15 cluster gets nothing.
/// All clusters were installed with cacerts from one root (as the seed does), so trust is not this test's subject.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class GlobalModelEndToEndTests(PortalFixture portal)
{
    private const string Group = "networking.istio.io";
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Only_the_pairs_that_can_carry_dot_global_are_synced_and_probed_ok()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "g168a", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "g168b", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "g193", IstioVersion = "1.9.3", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "g124", IstioVersion = "1.24.0", CacertsAtInstall = true, DnsCapture = true },
                new SimulatedClusterOptions { Name = "k115", KubernetesVersion = "v1.15.12", CacertsAtInstall = true },
            ],
        });

        // What MeshPortal before this change wrote into a 1.10+ exporter/consumer (its "passthrough" objects).
        var g124 = mesh["g124"];
        foreach (var leftover in new[] { PassthroughPlanner.Gateway("1.24.0"), PassthroughPlanner.EnvoyFilter(), PassthroughPlanner.DestinationRule("1.24.0") })
        {
            g124.Put(leftover.Body);
        }

        Assert.NotNull(g124.Get(Group, "envoyfilters", "istio-system", PassthroughPlanner.EnvoyFilterName));

        var names = new Dictionary<string, string>();
        foreach (var sim in new[] { "g168a", "g168b", "g193", "g124", "k115" })
        {
            names[sim] = await RegisterAsync(api, mesh, sim, sim);
        }

        var exportIds = new List<int>();
        try
        {
            // The 1.15 cluster is registered with a clear stage result.
            var k115 = await JsonAsync(await api.GetAsync($"/api/v1/clusters/{names["k115"]}"));
            var stage = k115["checks"]!.AsArray().Single(c => (string?)c!["id"] == "kubernetes.version")!;
            Assert.Equal("fail", (string?)stage["result"], ignoreCase: true);
            Assert.Contains("no server-side apply", (string?)stage["message"]);

            // The mesh-model stage says what each cluster can do, with the evidence.
            var modelStage = (await JsonAsync(await api.GetAsync($"/api/v1/clusters/{names["g124"]}")))["checks"]!.AsArray()
                .Single(c => (string?)c!["id"] == "istio.mesh-model")!;
            Assert.Contains(".global export: no", (string?)modelStage["message"]);
            Assert.Contains("multi-primary: yes", (string?)modelStage["message"]);
            Assert.Contains("multi-primary", (string?)modelStage["hint"]);

            var everyoneElse = (string from) => names.Where(n => n.Key != from).Select(n => n.Value).ToArray();
            // One host is exported from one cluster only: httpbin from 1.6.8, sleep from 1.9.3, a second httpbin Service from 1.24.
            AddWebService(g124);
            foreach (var (from, ns, service) in new[] { ("g168b", "bar", "httpbin"), ("g193", "foo", "sleep"), ("g124", "bar", "web") })
            {
                var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = names[from], @namespace = ns, service, consumers = everyoneElse(from) });
                var body = await JsonAsync(created);
                Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
                exportIds.Add((int)body["id"]!);
            }

            var fromSeed = exportIds[0];
            await Eventually.ReturnsAsync(() => StatesAsync(fromSeed), s => s.GetValueOrDefault(names["g168a"]) == "Synced", "the 1.6.8 pair to show Synced");
            var states = await StatesAsync(fromSeed);
            Assert.Equal("Unsupported", states[names["g193"]]);
            Assert.Equal("Unsupported", states[names["g124"]]);
            Assert.Equal("Failed", await Eventually.ReturnsAsync(async () => (await StatesAsync(fromSeed))[names["k115"]], s => s == "Failed", "k115 to fail"));
            var reasons = await ReasonsAsync(fromSeed);
            Assert.Contains("cannot consume .global services", reasons[names["g193"]]);
            Assert.Contains("server-side apply", reasons[names["k115"]]);

            foreach (var id in exportIds.Skip(1))
            {
                var all = await StatesAsync(id);
                Assert.All(all.Values, s => Assert.Equal("Unsupported", s));
            }

            Assert.Contains("cannot export over .global", (await ReasonsAsync(exportIds[2]))[names["g168a"]]);

            // Nothing that cannot work is written, and the earlier objects are pruned.
            await Eventually.ReturnsAsync(() => Task.FromResult(g124.Get(Group, "envoyfilters", "istio-system", PassthroughPlanner.EnvoyFilterName)), o => o is null,
                "the old SNI-rewrite EnvoyFilter to be pruned from the 1.24 cluster", TimeSpan.FromSeconds(60));
            Assert.Null(g124.Get(Group, "gateways", "istio-system", PassthroughPlanner.GatewayName));
            Assert.Null(g124.Get(Group, "destinationrules", "istio-system", PassthroughPlanner.DestinationRuleName));
            foreach (var sim in new[] { "g193", "g124", "k115" })
            {
                Assert.Empty(mesh[sim].List(Group, "serviceentries", "meshportal-exports"));
            }

            Assert.Single(mesh["g168a"].List(Group, "serviceentries", "meshportal-exports"));

            // Probes: the 1.6.8 pair is Ok; the rest is never green.
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
            var results = await Eventually.ReturnsAsync(ResultsAsync,
                r => r.Any(x => x.Source == names["g168a"] && x.Target == names["g168b"] && x.Status == "Ok")
                     && r.Count(x => x.Source == names["g124"]) == 2 && r.Count(x => x.Source == names["g193"]) == 2,
                "an Ok probe for the 1.6.8 pair and results for the 1.24 consumer", TimeSpan.FromSeconds(90));
            Assert.All(results.Where(r => r.Source == names["g124"] || r.Source == names["g193"] || r.Target == names["g124"] || r.Target == names["g193"]),
                r => Assert.Equal("Unsupported", r.Status));
        }
        finally
        {
            foreach (var id in exportIds)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            foreach (var name in names.Values)
            {
                await api.DeleteAsync($"/api/v1/clusters/{name}");
            }
        }
    }

    private async Task<Dictionary<string, string>> StatesAsync(int id) =>
        (await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]!.AsArray()
            .ToDictionary(c => (string)c!["cluster"]!, c => (string)c!["state"]!);

    private async Task<Dictionary<string, string>> ReasonsAsync(int id) =>
        (await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]!.AsArray()
            .ToDictionary(c => (string)c!["cluster"]!, c => (string?)c!["message"] ?? "");

    private sealed record Result(string Source, string Target, string Status);

    private async Task<IReadOnlyList<Result>> ResultsAsync() =>
        [.. ((await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"] as JsonArray ?? [])
            .Select(r => new Result((string)r!["source"]!, (string)r["target"]!, (string)r["status"]!))];
}
