using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Simulator;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// Two Istio 1.8.0 primaries installed the seed's way (multicluster-gateways overlay, istiocoredns, sni-dnat on the ingress
/// gateway) but with their own cluster IDs and one mesh ID: the pair carries web.bar.global securely and could run
/// multi-primary. The move writes the modern objects, keeps the .global name working until the new name answered from the
/// consumer, and only then removes the .global objects.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class MoveToMultiPrimaryEndToEndTests(PortalFixture portal)
{
    private const string OldName = "web.bar.global";
    private const string NewName = "web.bar.svc.cluster.local";
    private readonly HttpClient api = portal.CreateClient();

    [Fact]
    public async Task A_dot_global_export_moves_to_multi_primary_and_the_old_name_works_until_the_new_one_answers()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "mv1", IstioVersion = "1.8.0", Profile = "multicluster-gateways", IngressRouterMode = "sni-dnat", ClusterId = "mv1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "mv2", IstioVersion = "1.8.0", Profile = "multicluster-gateways", IngressRouterMode = "sni-dnat", ClusterId = "mv2", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var mv1 = mesh["mv1"];
        AddWebService(mesh["mv2"]);
        var one = await RegisterAsync(api, mesh, "mv1", "mv1");
        var two = await RegisterAsync(api, mesh, "mv2", "mv2");
        int? id = null;
        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(mv1.Get("", "secrets", "istio-system", RemoteSecrets.SecretName("mv2"))),
                s => s is not null, "mv1 to hold the remote secret for mv2", TimeSpan.FromSeconds(60));
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            var body = await JsonAsync(created);
            Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToJsonString());
            id = (int)body["id"]!;

            // Today the pair runs .global (it still works securely on 1.8.0): the name is web.bar.global and the move is offered.
            var before = await Eventually.ReturnsAsync(ExportAsync, e => (string?)e["consumers"]![0]!["state"] == "Synced", "the .global consumer to be Synced", TimeSpan.FromSeconds(60));
            Assert.Equal((OldName, "global"), ((string?)before["consumerNames"]![0]!["host"], (string?)before["consumerNames"]![0]!["model"]));
            Assert.Equal("None", (string?)before["move"]!["phase"]);
            Assert.True((bool)before["move"]!["offered"]!, before["move"]!.ToJsonString());
            Assert.Equal([one], before["move"]!["consumers"]!.AsArray().Select(c => (string?)c));
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(mv1, "-sI", $"{OldName}:8000/headers"), Ok, "the .global name to answer", TimeSpan.FromSeconds(60));
            Assert.False(Ok(await CurlFromSleepAsync(mv1, "-sI", $"{NewName}:8000/headers")), "the new name must not answer before the move");

            // Start the move: 202 with phase Moving; a second start is refused with the reason and changes nothing.
            var started = await api.PostAsync($"/api/v1/exports/{id}/move", null);
            var moving = await JsonAsync(started);
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, moving.ToJsonString());
            Assert.Equal("Moving", (string?)moving["move"]!["phase"]);
            var again = await api.PostAsync($"/api/v1/exports/{id}/move", null);
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("under way", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The modern object (the consumer's Service) lands beside the .global ServiceEntry; both names answer.
            await Eventually.ReturnsAsync(() => Task.FromResult(mv1.Get("", "services", "bar", "web")), s => s is not null, "the consumer Service for the new name", TimeSpan.FromSeconds(60));
            Assert.NotEmpty(mv1.List("networking.istio.io", "serviceentries", "meshportal-exports"));
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(mv1, "-sI", $"{NewName}:8000/headers"), Ok, "the new name to answer", TimeSpan.FromSeconds(30));

            // Break the new name by hand: the probe says Dns, the move waits (and says why), the old name keeps working.
            mv1.Delete("", "services", "bar", "web");
            var waiting = await Eventually.ReturnsAsync(async () =>
            {
                Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
                return await ExportAsync();
            }, e => ((string?)e["move"]!["note"])?.Contains($"{one}:8000 answered Dns", StringComparison.Ordinal) == true, "the move to wait on the Dns answer", TimeSpan.FromSeconds(90));
            Assert.Equal("Moving", (string?)waiting["move"]!["phase"]);
            var results = await ResultsAsync();
            Assert.Contains(results, r => r.Host == OldName && r.Status == "Ok");
            Assert.Contains(results, r => r.Host == NewName && r.Status == "Dns");
            Assert.NotEmpty(mv1.List("networking.istio.io", "serviceentries", "meshportal-exports"));
            Assert.True(Ok(await CurlFromSleepAsync(mv1, "-sI", $"{OldName}:8000/headers")), "the .global name must keep working while the new one does not answer");

            // The next sync heals the Service; the next probe of the new name answers and the move finishes.
            Assert.True((await api.PostAsync($"/api/v1/clusters/{one}/sync", null)).IsSuccessStatusCode);
            await Eventually.ReturnsAsync(() => Task.FromResult(mv1.Get("", "services", "bar", "web")), s => s is not null, "the Service to be healed", TimeSpan.FromSeconds(60));
            var moved = await Eventually.ReturnsAsync(async () =>
            {
                Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
                return await ExportAsync();
            }, e => (string?)e["move"]!["phase"] == "Moved", "the move to finish", TimeSpan.FromSeconds(90));
            var finishedAt = (DateTimeOffset)moved["move"]!["finishedAt"]!;
            Assert.Contains(await ResultsAsync(), r => r.Host == NewName && r.Status == "Ok");

            // What the new name answered when the move finished comes from the link's change points: the latest result can be
            // newer than the finish (a probe cycle the loop above queued may end after it).
            var changes = (await portal.Services.GetRequiredService<TopologyQueries>()
                .HistoryAsync(one, NewName, 8000, finishedAt.AddHours(-1), CancellationToken.None)).Changes.Where(c => c.At <= finishedAt).ToList();
            Assert.Contains(changes, c => c.Status == ProbeStatus.Dns);
            var broken = changes.Last(c => c.Status == ProbeStatus.Dns);
            Assert.True(changes[^1].Status == ProbeStatus.Ok && changes[^1].At > broken.At,
                $"the move finished only after the new name answered again; changes up to the finish: {string.Join(", ", changes.Select(c => $"{c.At:HH:mm:ss.fff} {c.Status}"))}");

            // The page and the API tell the app team the new name; the .global objects go and the old name stops, the new one stays.
            Assert.Equal((NewName, "multi-primary"), ((string?)moved["consumerNames"]![0]!["host"], (string?)moved["consumerNames"]![0]!["model"]));
            Assert.Equal((one, NewName), ((string?)moved["move"]!["newNames"]![0]!["cluster"], (string?)moved["move"]!["newNames"]![0]!["host"]));
            Assert.False((bool)moved["move"]!["offered"]!);
            await Eventually.ReturnsAsync(() => Task.FromResult(mv1.List("networking.istio.io", "serviceentries", "meshportal-exports")), l => !l.Any(),
                "the .global ServiceEntry to be pruned", TimeSpan.FromSeconds(60));
            Assert.False(Ok(await CurlFromSleepAsync(mv1, "-sI", $"{OldName}:8000/headers")), "the .global name is gone after the move");
            Assert.True(Ok(await CurlFromSleepAsync(mv1, "-sI", $"{NewName}:8000/headers")), "the new name answers after the move");
            await Eventually.ReturnsAsync(ExportAsync, e => (string?)e["consumers"]![0]!["state"] == "Synced", "the multi-primary consumer to be Synced", TimeSpan.FromSeconds(60));

            // Audited: who started it, and the system finishing it.
            foreach (var action in new[] { "export.move.started", "export.move.finished" })
            {
                var audit = await JsonAsync(await api.GetAsync($"/api/v1/audit?action={action}"));
                Assert.Contains(audit["items"]!.AsArray(), e => (string?)e!["target"] == OldName);
            }

            var cancel = await api.DeleteAsync($"/api/v1/exports/{id}/move");
            Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
            Assert.Contains("already moved", await cancel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }

        async Task<JsonNode> ExportAsync() => await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}"));

        async Task<IReadOnlyList<Result>> ResultsAsync() =>
            [.. ((await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"] as JsonArray ?? [])
                .Where(r => (string?)r!["source"] == one)
                .Select(r => new Result((string)r!["host"]!, (string)r["status"]!, (DateTimeOffset)r["observedAt"]!))];
    }

    [Fact]
    public async Task Stopping_a_move_removes_what_it_added_and_keeps_the_dot_global_name()
    {
        var mesh = await portal.StartPrivateMeshAsync(new SimulatorOptions
        {
            Clusters = 0,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "ms1", IstioVersion = "1.8.0", Profile = "multicluster-gateways", IngressRouterMode = "sni-dnat", ClusterId = "ms1", MeshId = "mesh1", CacertsAtInstall = true },
                new SimulatedClusterOptions { Name = "ms2", IstioVersion = "1.8.0", Profile = "multicluster-gateways", IngressRouterMode = "sni-dnat", ClusterId = "ms2", MeshId = "mesh1", CacertsAtInstall = true },
            ],
        });
        var ms1 = mesh["ms1"];
        AddWebService(mesh["ms2"]);
        var one = await RegisterAsync(api, mesh, "ms1", "ms1");
        var two = await RegisterAsync(api, mesh, "ms2", "ms2");
        int? id = null;
        try
        {
            var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = two, @namespace = "bar", service = "web", consumers = new[] { one } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = (int)(await JsonAsync(created))["id"]!;
            await Eventually.ReturnsAsync(async () => (bool?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["move"]?["offered"], o => o == true,
                "the move to be offered", TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync($"/api/v1/exports/{id}/move")).StatusCode); // nothing under way yet

            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/exports/{id}/move", null)).StatusCode);
            await Eventually.ReturnsAsync(() => Task.FromResult(ms1.Get("", "services", "bar", "web")), s => s is not null, "the consumer Service", TimeSpan.FromSeconds(60));

            // Stop before any probe ran: back to None, the Service the move added is pruned, the .global ServiceEntry and name stay.
            var stopped = await api.DeleteAsync($"/api/v1/exports/{id}/move");
            var body = await JsonAsync(stopped);
            Assert.True(stopped.StatusCode == HttpStatusCode.OK, body.ToJsonString());
            Assert.Equal(("None", true), ((string?)body["move"]!["phase"], (bool)body["move"]!["offered"]!));
            await Eventually.ReturnsAsync(() => Task.FromResult(ms1.Get("", "services", "bar", "web")), s => s is null, "the consumer Service to be pruned", TimeSpan.FromSeconds(60));
            Assert.NotEmpty(ms1.List("networking.istio.io", "serviceentries", "meshportal-exports"));
            await Eventually.ReturnsAsync(() => CurlFromSleepAsync(ms1, "-sI", $"{OldName}:8000/headers"), Ok, "the .global name to keep answering", TimeSpan.FromSeconds(30));
            var audit = await JsonAsync(await api.GetAsync("/api/v1/audit?action=export.move.cancelled"));
            Assert.Contains(audit["items"]!.AsArray(), e => (string?)e!["target"] == OldName);

            // Probes after the stop never finish it.
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync("/api/v1/reachability/run", null)).StatusCode);
            await Eventually.ReturnsAsync(async () => ((await JsonAsync(await api.GetAsync("/api/v1/reachability")))["results"] as JsonArray ?? [])
                .Any(r => (string?)r!["source"] == one && (string?)r["host"] == OldName && (string?)r["status"] == "Ok"), ok => ok, "an Ok probe of the old name", TimeSpan.FromSeconds(60));
            Assert.Equal("None", (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["move"]!["phase"]);
        }
        finally
        {
            if (id is not null)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{one}");
            await api.DeleteAsync($"/api/v1/clusters/{two}");
        }
    }

    private static bool Ok((int Exit, string Output) r) => r.Exit == 0 && r.Output.StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal);

    private sealed record Result(string Host, string Status, DateTimeOffset ObservedAt);
}
