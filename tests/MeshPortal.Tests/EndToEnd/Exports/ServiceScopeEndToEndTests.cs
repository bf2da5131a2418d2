using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Simulator;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// Two Istio 1.24 primaries on one network. mp2 runs web (exported to sc1) and hidden (not exported; sc1 has a same-named
/// Service of its own, so the name resolves there). Without serviceSettings both answer from sc1: multi-primary makes every
/// service global. With the mesh setting on, MeshPortal merges serviceSettings into each mesh config and only web still answers
/// across clusters (the simulator's istiod honours clusterLocal, MESH-RULES D5); off puts it back.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ServiceScopeEndToEndTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task Only_exported_services_leave_their_cluster_when_meshportal_manages_service_settings()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "sc1", IstioVersion = "1.24.0", ClusterId = "sc1", MeshId = "mesh1", CacertsAtInstall = true, DnsCapture = false },
                new SimulatedClusterOptions { Name = "sc2", IstioVersion = "1.24.0", ClusterId = "sc2", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var sc1 = mesh["sc1"];
        var sc2 = mesh["sc2"];
        AddWebService(sc2);
        var hidden = sc2.Get("", "services", "bar", "web")!.DeepClone().AsObject();
        hidden["metadata"] = new JsonObject { ["name"] = "hidden", ["namespace"] = "bar" };
        hidden["spec"]!.AsObject().Remove("clusterIP");
        hidden["spec"]!.AsObject().Remove("clusterIPs");
        hidden.Remove("status");
        sc2.Put(hidden);
        // sc1's own Service named hidden (no pods behind it): the name resolves in sc1, the endpoints can only come from sc2.
        sc1.Put("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"hidden","namespace":"bar"},"spec":{"ports":[{"name":"http","port":8000,"protocol":"TCP"}]}}""");
        var installMesh = (string)sc1.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]!;

        var one = await RegisterAsync(api, mesh, "sc1", "sc1");
        var two = await RegisterAsync(api, mesh, "sc2", "sc2");
        int? id = null;
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(sc1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("sc2"))),
                s => s is not null, "sc1 to hold the remote secret for sc2", TimeSpan.FromSeconds(60));
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            id = (int)(await JsonAsync(created))["id"]!;
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(sc1, "-sI", "web.bar.svc.cluster.local:8000/headers"), Ok, "the exported web to answer", TimeSpan.FromSeconds(60));

            // Multi-primary without serviceSettings: the service nobody exported answers across clusters too, and the export says so.
            Assert.True(Ok(await CurlFromSleepAsync(sc1, "-sI", "hidden.bar.svc.cluster.local:8000/headers")), "every service is global by default");
            Assert.Contains("already sees this service through the remote secrets", (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumersMean"]);

            // On: serviceSettings land in every primary's mesh config, the install's keys kept; hidden stays in sc2, web still answers.
            var put = await api.PutAsJsonAsync("/api/v1/settings/service-scope", new { clusterLocalByDefault = true });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            foreach (var cluster in new[] { sc1, sc2 })
            {
                var text = await Eventually.ReturnsAsync(() => Task.FromResult((string?)cluster.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]),
                    m => m?.Contains("- web.bar.svc.cluster.local", StringComparison.Ordinal) == true, $"serviceSettings in {cluster.Name}'s mesh config", TimeSpan.FromSeconds(60));
                Assert.Contains("clusterLocal: true", text, StringComparison.Ordinal);
            }

            var scoped = (string)sc1.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]!;
            foreach (var line in installMesh.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.Contains(line.Trim(), scoped, StringComparison.Ordinal);
            }

            var (exit, output) = await Eventually.ReturnsAsync(() => CurlFromSleepAsync(sc1, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "hidden.bar.svc.cluster.local:8000/headers"),
                r => r.Output.Contains("503", StringComparison.Ordinal), "hidden to stay in sc2", TimeSpan.FromSeconds(30));
            Assert.True(exit == 0, output);
            Assert.True(Ok(await CurlFromSleepAsync(sc1, "-sI", "web.bar.svc.cluster.local:8000/headers")), "the exported service still answers");
            Assert.Contains("serviceSettings", (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumersMean"]);
            var audit = await JsonAsync(await api.GetAsync("/api/v1/audit?action=mesh.service-scope.enabled"));
            Assert.NotEmpty(audit["items"]!.AsArray());

            // A steady push writes nothing more (the edit converges), and off takes MeshPortal's entries out again.
            var resourceVersion = (string?)sc1.Get("", "configmaps", "istio-system", "istio")!["metadata"]!["resourceVersion"];
            var lastRun = (string?)(await JsonAsync(await api.GetAsync($"/api/v1/clusters/{one}/sync-runs"))).AsArray()[0]!["id"]?.ToJsonString();
            Assert.True((await api.PostAsync($"/api/v1/clusters/{one}/sync", null)).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync($"/api/v1/clusters/{one}/sync-runs"))).AsArray()[0]!["id"]?.ToJsonString(),
                run => run != lastRun, "the requested sync to run", TimeSpan.FromSeconds(60));
            Assert.Equal(resourceVersion, (string?)sc1.Get("", "configmaps", "istio-system", "istio")!["metadata"]!["resourceVersion"]);

            Assert.True((await api.PutAsJsonAsync("/api/v1/settings/service-scope", new { clusterLocalByDefault = false })).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(() => Task.FromResult((string?)sc1.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]),
                m => m?.Contains("serviceSettings", StringComparison.Ordinal) == false, "MeshPortal's serviceSettings to be removed", TimeSpan.FromSeconds(60));
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(sc1, "-sI", "hidden.bar.svc.cluster.local:8000/headers"), Ok, "hidden to be global again", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await api.PutAsJsonAsync("/api/v1/settings/service-scope", new { clusterLocalByDefault = false });
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }

    private static bool Ok((int Exit, string Output) r) => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal);
}
