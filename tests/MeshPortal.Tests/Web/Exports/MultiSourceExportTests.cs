using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Simulator;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Exports;

/// <summary>
/// Issue 15, "one host exported from several clusters": three Istio 1.24 primaries of one mesh, the same Service <c>bar/web</c>
/// in ms2 and ms3, exported from ms2 to ms1. The pushes discover ms3 as a second source (istiod merges both clusters'
/// endpoints into the one host), the API shows both, and with ms2's workload gone ms1 still gets 200 by the name from ms3.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class MultiSourceExportTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    private const string Url = "web.bar.svc.cluster.local:8000/headers";

    [Fact]
    public async Task A_service_running_in_two_primaries_shows_both_sources_and_fails_over_when_the_exporters_workload_is_gone()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "ms1", IstioVersion = "1.24.0", ClusterId = "ms1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "ms2", IstioVersion = "1.24.0", ClusterId = "ms2", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "ms3", IstioVersion = "1.24.0", ClusterId = "ms3", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var ms1 = mesh["ms1"];
        AddWebService(mesh["ms2"]);
        AddWebService(mesh["ms3"]);

        var one = await RegisterAsync(api, mesh, "ms1", "ms1");
        var two = await RegisterAsync(api, mesh, "ms2", "ms2");
        var three = await RegisterAsync(api, mesh, "ms3", "ms3");
        int? id = null;
        try
        {
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            var export = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
            id = (int)export["id"]!;
            await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]![0]!,
                c => (string?)c["state"] == "Synced", "the multi-primary consumer to show Synced", TimeSpan.FromSeconds(60));

            // ms3 is no consumer; its next push (here asked for, otherwise the recurring sync) finds that it runs bar/web too.
            // ms1 carries MeshPortal's selector-less DNS Service of that name, which serves nothing and is not a source.
            Assert.True((await api.PostAsync($"/api/v1/clusters/{three}/sync", null)).IsSuccessStatusCode);
            Assert.True((await api.PostAsync($"/api/v1/clusters/{one}/sync", null)).IsSuccessStatusCode);
            var shown = await Eventually.ReturnsAsync(async () => await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")),
                e => e["sourceClusters"]!.AsArray().Count == 2, "the export to show a second source cluster", TimeSpan.FromSeconds(60));
            Assert.Equal([two, three], shown["sourceClusters"]!.AsArray().Select(s => (string?)s));
            // The consumer's DNS Service comes with a push of ms1 (one was just asked for): wait for it, do not race it.
            await Eventually.ReturnsAsync(() => Task.FromResult(ms1.Get("", "services", "bar", "web")), svc => svc is not null,
                "MeshPortal's DNS Service bar/web in ms1", TimeSpan.FromSeconds(60));

            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(ms1, "-sI", Url),
                r => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "curl by the service's own name from ms1");

            // ms1's istiod reads ms3 only once ms1 holds ms3's remote secret (minted after ms3's first push).
            await Eventually.ReturnsAsync(() => Task.FromResult(ms1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("ms3"))),
                s => s is not null, "ms1 to hold the remote secret for ms3", TimeSpan.FromSeconds(60));

            // ms2's workload goes away (its Service stays): ms1's istiod still has ms3's endpoints for the host.
            Assert.True(mesh["ms2"].Delete("apps", "deployments", "bar", "httpbin"));
            await Eventually.ReturnsAsync(() => Task.FromResult(mesh["ms2"].List("", "pods", "bar").Count(p => (string?)p["metadata"]!["labels"]?["app"] == "httpbin")),
                n => n == 0, "ms2's httpbin pods to be gone");
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(ms1, "-sI", Url),
                r => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "curl from ms1 to be answered by ms3", TimeSpan.FromSeconds(60));

            // The answer came from ms3: without its workload too, nothing serves the host any more.
            Assert.True(mesh["ms3"].Delete("apps", "deployments", "bar", "httpbin"));
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(ms1, "-sI", Url),
                r => !r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal), "curl from ms1 to fail once no cluster runs the workload");

            // A cluster that drops the Service stops being a source at its next push.
            Assert.True(mesh["ms3"].Delete("", "services", "bar", "web"));
            Assert.True((await api.PostAsync($"/api/v1/clusters/{three}/sync", null)).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["sourceClusters"]!.AsArray().Select(s => (string?)s).ToList(),
                s => s.SequenceEqual([two]), "ms3 to be dropped from the sources", TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
            await api.DeleteAsync($"/api/v1/clusters/{three}");
        }
    }
}
