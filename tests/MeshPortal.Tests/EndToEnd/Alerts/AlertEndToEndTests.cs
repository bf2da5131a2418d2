using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Alerts;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Alerts;

/// <summary>
/// Alerts end to end against a real Alertmanager and a real HTTP receiver on loopback: two simulated clusters, team "web" exports
/// two services from the exporter to the consumer, team "shop" one the other way. The exporter's gateway breaks → exactly one
/// grouped alert naming the gateway reaches Alertmanager and web's signed webhook, none reaches shop's; heal → resolved notices; a
/// silence (audited) mutes a second outage until it is ended.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class AlertEndToEndTests(PortalFixture portal)
{
    private const string WebSecret = "web-team-signing-secret-0123";
    private readonly HttpClient api = portal.CreateClient();
    private readonly string suffix = Guid.NewGuid().ToString("N")[..6];

    [AlertmanagerFact]
    public async Task Gateway_outage_is_one_grouped_alert_naming_the_gateway_resolves_is_silenced_and_reaches_only_its_team()
    {
        await using var receiver = new LoopbackReceiver();
        await receiver.StartAsync();
        await using var alertmanager = await AlertmanagerServer.StartAsync(receiver.Url("/am"));
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions
        {
            Clusters = 2,

            // Installed the seed's way: both clusters' cacerts chain to one root before istiod starts, so cross-cluster mTLS works.
            Defaults = new SimulatedClusterOptions { ExtraServices = 2, CacertsAtInstall = true },
        });
        await PortalApi.EnsureRootAsync(api);
        string exporter = await RegisterAsync(api, mesh, "cluster-2", "al-exp");
        string consumer = await RegisterAsync(api, mesh, "cluster-1", "al-con");
        var web = $"web-{suffix}";
        var shop = $"shop-{suffix}";
        await TeamAsync(web, (exporter, "bar"), (exporter, "extra"));
        await TeamAsync(shop, (consumer, "extra"));
        var exports = new List<int>
        {
            await ExportAsync(exporter, "bar", "httpbin", consumer, web),
            await ExportAsync(exporter, "extra", "svc-0001", consumer, web),
            await ExportAsync(consumer, "extra", "svc-0002", exporter, shop),
        };
        var channels = new List<int>
        {
            await ChannelAsync(new { name = $"am-{suffix}", kind = "Alertmanager", url = alertmanager.Address.ToString() }),
            await ChannelAsync(new { name = $"web-{suffix}", kind = "Webhook", url = receiver.Url("/hook/web"), secret = WebSecret, team = web }),
            await ChannelAsync(new { name = $"shop-{suffix}", kind = "Webhook", url = receiver.Url("/hook/shop"), secret = "shop-team-signing-secret-0123", team = shop }),
        };
        try
        {
            var consumerId = await ClusterIdAsync(consumer);
            var exporterId = await ClusterIdAsync(exporter);
            await ProbeUntilAsync(consumerId, r => r.All(x => x.Classification.Status == ProbeStatus.Ok) && r.Count == 2, "both links into the exporter Ok");
            await ProbeUntilAsync(exporterId, r => r.Count == 1 && r[0].Classification.Status == ProbeStatus.Ok, "shop's link Ok");
            await EvaluateAsync();
            Assert.Empty(await MineAsync("active", exporter, consumer));

            // The exporter's gateway goes down: both of web's links fail with Connect; three probes in a row make it fire.
            mesh["cluster-2"].Faults.GatewayDown = true;
            await OutageAsync(consumerId);
            var firing = Assert.Single(await MineAsync("firing", exporter, consumer));
            Assert.Equal("links/target/" + exporterId, (string?)firing["key"]);
            Assert.Equal("Critical", (string?)firing["severity"]);
            Assert.Contains($"2 links to {exporter} fail: likely cause {exporter}'s ingress gateway (port 15443) is down or unreachable", (string?)firing["summary"]);
            Assert.Equal([web], firing["teams"]!.AsArray().Select(t => (string?)t));

            // Alertmanager (admins, every alert) receives exactly one alert for these clusters, naming the gateway.
            var amFiring = await Eventually.ReturnsAsync(() => Task.FromResult(AlertmanagerAlerts(receiver, exporter, consumer)), a => a.Count > 0,
                "Alertmanager to deliver the alert", TimeSpan.FromSeconds(30));
            var only = Assert.Single(amFiring.Select(a => (string?)a["labels"]!["meshportal_key"]).Distinct());
            Assert.Equal("links/target/" + exporterId, only);
            Assert.All(amFiring, a => Assert.Equal("firing", (string?)a["status"]));
            Assert.Contains("ingress gateway", (string?)amFiring[0]["annotations"]!["summary"]);
            Assert.Equal(web, (string?)amFiring[0]["labels"]!["team"]);

            // web's webhook gets one firing notification whose signature verifies with the README's recipe; shop's gets nothing.
            var webFiring = await ReceivedAsync(receiver, "/hook/web", "firing", 1);
            WebhookSignature.VerifyAsReadmeSays(webFiring[0], WebSecret);
            Assert.Empty(receiver.At("/hook/shop"));
            Assert.Equal(0, await NotificationsAsync(channels[2]));

            // Heal: resolved in the portal, at Alertmanager and at web's webhook.
            mesh["cluster-2"].Faults.GatewayDown = false;
            await ProbeUntilAsync(consumerId, r => r.All(x => x.Classification.Status == ProbeStatus.Ok), "links Ok again");
            await EvaluateAsync();
            Assert.Empty(await MineAsync("active", exporter, consumer));
            Assert.Single(await MineAsync("resolved", exporter, consumer));
            await Eventually.ReturnsAsync(() => Task.FromResult(AlertmanagerAlerts(receiver, exporter, consumer)), a => a.Any(x => (string?)x["status"] == "resolved"),
                "Alertmanager's resolved notice", TimeSpan.FromSeconds(30));
            await ReceivedAsync(receiver, "/hook/web", "resolved", 1);

            // A silence (audited, with its reason) mutes the next outage: the alert fires silenced and nothing is queued for it.
            var silence = await api.PostAsJsonAsync("/api/v1/alerts/silences", new { cluster = exporter, reason = $"gateway maintenance {suffix}", durationMinutes = 30 });
            Assert.Equal(HttpStatusCode.Created, silence.StatusCode);
            var silenceId = (int)(await JsonAsync(silence))["id"]!;
            var audit = await JsonAsync(await api.GetAsync($"/api/v1/audit?action=alert-silence.created&q={suffix}"));
            Assert.Contains($"gateway maintenance {suffix}", audit.ToJsonString());
            mesh["cluster-2"].Faults.GatewayDown = true;
            await OutageAsync(consumerId);
            var silenced = Assert.Single(await MineAsync("silenced", exporter, consumer));
            Assert.True((bool)silenced["silenced"]!);
            Assert.Equal(0, await NotificationsAsync(channels[1], (long)silenced["id"]!));

            // Ending the silence (audited) sends the alert that is still firing.
            Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/api/v1/alerts/silences/{silenceId}")).StatusCode);
            await ReceivedAsync(receiver, "/hook/web", "firing", 2);
            Assert.Contains("alert-silence.ended", (await JsonAsync(await api.GetAsync("/api/v1/audit?action=alert-silence.ended"))).ToJsonString());
            Assert.Empty(receiver.At("/hook/shop"));
            mesh["cluster-2"].Faults.GatewayDown = false;
        }
        finally
        {
            mesh["cluster-2"].Faults.GatewayDown = false;
            foreach (var id in exports)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            foreach (var id in channels)
            {
                await api.DeleteAsync($"/api/v1/alerts/channels/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
            await EvaluateAsync();
        }
    }

    private async Task OutageAsync(int consumerId)
    {
        for (var i = 0; i < 3; i++)
        {
            await ProbeUntilAsync(consumerId, r => r.Count == 2 && r.All(x => x.Classification.Status == ProbeStatus.Connect), "both links Connect");
            await EvaluateAsync();
        }
    }

    private async Task<IReadOnlyList<ProbeRecord>> ProbeUntilAsync(int clusterId, Func<IReadOnlyList<ProbeRecord>, bool> condition, string what) =>
        (await Eventually.ReturnsAsync(async () =>
        {
            await using var scope = portal.Services.CreateAsyncScope();
            return new Probed(await scope.ServiceProvider.GetRequiredService<ProbeRunner>().RunClusterAsync(clusterId, CancellationToken.None));
        }, p => condition(p.Records), what, TimeSpan.FromSeconds(60))).Records;

    private sealed record Probed(IReadOnlyList<ProbeRecord> Records)
    {
        public override string ToString() => string.Join("; ", Records.Select(r => $"{r.Target.Host}:{r.Target.Port} {r.Classification.Status} {r.Classification.Message}"));
    }

    private async Task EvaluateAsync()
    {
        var response = await api.PostAsync("/api/v1/alerts/evaluate", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<JsonNode>> MineAsync(string state, params string[] clusters)
    {
        var all = (await JsonAsync(await api.GetAsync($"/api/v1/alerts?state={state}&take=1000"))).AsArray();
        return [.. all.Where(a => a!["labels"]!.AsObject().Any(l => clusters.Contains((string?)l.Value))).Select(a => a!)];
    }

    private static List<JsonNode> AlertmanagerAlerts(LoopbackReceiver receiver, params string[] clusters) =>
        [.. receiver.At("/am").SelectMany(r => JsonNode.Parse(r.Body)!["alerts"]!.AsArray())
            .Where(a => a!["labels"]!.AsObject().Any(l => clusters.Contains((string?)l.Value))).Select(a => a!)];

    private static async Task<IReadOnlyList<ReceivedRequest>> ReceivedAsync(LoopbackReceiver receiver, string path, string kind, int count) =>
        [.. (await Eventually.ReturnsAsync(() => Task.FromResult(receiver.At(path).Where(r => (string?)JsonNode.Parse(r.Body)!["kind"] == kind).ToList()),
            l => l.Count >= count, $"{count} '{kind}' notification(s) at {path}", TimeSpan.FromSeconds(30))).Take(count)];

    private async Task<int> NotificationsAsync(int channelId, long? alertId = null)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        return await db.AlertNotifications.CountAsync(n => n.ChannelId == channelId && (alertId == null || n.AlertId == alertId));
    }

    private async Task<int> ClusterIdAsync(string name)
    {
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        return await db.Clusters.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
    }

    private async Task TeamAsync(string name, params (string Cluster, string Namespace)[] grants)
    {
        var created = await api.PostAsJsonAsync("/api/v1/teams", new { name, description = "alert test" });
        var team = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, team.ToJsonString());
        foreach (var (cluster, ns) in grants)
        {
            var grant = await api.PostAsJsonAsync($"/api/v1/teams/{(int)team["id"]!}/grants", new { cluster, @namespace = ns });
            Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync());
        }
    }

    private async Task<int> ExportAsync(string cluster, string ns, string service, string consumer, string team)
    {
        var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster, @namespace = ns, service, consumers = new[] { consumer }, team });
        var export = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
        var id = (int)export["id"]!;
        await Eventually.ReturnsAsync(async () => (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{id}")))["consumers"]?[0]?["state"],
            s => s == "Synced", $"{service}.{ns} synced", TimeSpan.FromSeconds(60));
        return id;
    }

    private async Task<int> ChannelAsync(object body)
    {
        var created = await api.PostAsJsonAsync("/api/v1/alerts/channels", body);
        var channel = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, channel.ToJsonString());
        Assert.DoesNotContain("/hook/", channel.ToJsonString());
        Assert.DoesNotContain("secret-0123", channel.ToJsonString());
        return (int)channel["id"]!;
    }
}
