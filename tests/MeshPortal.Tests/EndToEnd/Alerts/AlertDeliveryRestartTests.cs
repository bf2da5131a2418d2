using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Alerts;

/// <summary>
/// The outbox survives a crash: the portal (a real process on SQLite) fires a CA-expiry alert while the webhook receiver is down,
/// retries with back-off, is killed, and after a restart on the same data directory delivers it once, signed as the README says.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class AlertDeliveryRestartTests
{
    private const string Token = "mp_alert-restart-token-0123456789abcdefghijklmn";
    private const string Secret = "restart-signing-secret-0123456789";

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_alert_once_after_it_comes_back_across_a_portal_restart()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-alert-restart-").FullName;
        var settings = new Dictionary<string, string>
        {
            ["MeshPortal__Bootstrap__AdminPassword"] = PortalFixture.AdminPassword,
            ["MeshPortal__Bootstrap__AdminToken"] = Token,
            ["MeshPortal__Jobs__QueuePollMilliseconds"] = "100",
            ["MeshPortal__Jobs__ClusterCheckCron"] = "",
            ["MeshPortal__Sync__Cron"] = "",
            ["MeshPortal__Probes__Cron"] = "",
            ["MeshPortal__Alerts__Cron"] = "",
            ["MeshPortal__Alerts__DeliveryPollMilliseconds"] = "100",
            ["MeshPortal__Alerts__RetryBaseSeconds"] = "1",
            ["MeshPortal__Alerts__RetryMaxSeconds"] = "1",
            ["MeshPortal__Alerts__MaxAttempts"] = "1000",

            // A root that expires in 20 days: a Warning (less than 30 days left) as soon as it exists.
            ["MeshPortal__Trust__RootValidityDays"] = "20",
        };
        await using var receiver = new LoopbackReceiver(); // not started: connections are refused
        try
        {
            int channelId;
            await using (var first = PortalProcess.Start(data, settings))
            {
                await first.WaitHealthyAsync(TimeSpan.FromSeconds(90));
                using var api = Client(first);
                var created = await api.PostAsJsonAsync("/api/v1/alerts/channels", new { name = "ops-hook", kind = "Webhook", url = receiver.Url("/hook"), secret = Secret });
                var channel = await JsonAsync(created);
                Assert.True(created.StatusCode == HttpStatusCode.Created, channel.ToJsonString());
                Assert.DoesNotContain("/hook", channel.ToJsonString());
                Assert.DoesNotContain(Secret, channel.ToJsonString());
                Assert.True((bool)channel["hasSecret"]!);
                channelId = (int)channel["id"]!;

                var root = await api.PostAsJsonAsync("/api/v1/trust/root", new { mode = "generate", keyType = "EcdsaP256" });
                Assert.True(root.StatusCode == HttpStatusCode.Created, await root.Content.ReadAsStringAsync());
                Assert.True((await api.PostAsync("/api/v1/alerts/evaluate", null)).IsSuccessStatusCode);
                var firing = (await JsonAsync(await api.GetAsync("/api/v1/alerts?state=firing"))).AsArray().Single()!;
                Assert.Equal("MeshPortalCaExpiring", (string?)firing["rule"]);
                Assert.Equal("Warning", (string?)firing["severity"]);

                // The receiver is down: the notification is retried (with back-off) and the history says why.
                var retrying = await Eventually.ReturnsAsync(async () => (await JsonAsync(await api.GetAsync($"/api/v1/alerts/channels/{channelId}/deliveries"))).AsArray(),
                    d => d.Count == 1 && (int)d[0]!["attempts"]! >= 2, "two failed attempts", TimeSpan.FromSeconds(30));
                Assert.Equal("retrying", (string?)retrying[0]!["state"]);
                Assert.Contains("refused", (string?)retrying[0]!["lastError"], StringComparison.OrdinalIgnoreCase);
                first.KillHard();
            }

            await receiver.StartAsync();
            await using var second = PortalProcess.Start(data, settings);
            await second.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            using var api2 = Client(second);
            var delivered = await Eventually.ReturnsAsync(async () => (await JsonAsync(await api2.GetAsync($"/api/v1/alerts/channels/{channelId}/deliveries"))).AsArray(),
                d => d.Count == 1 && (string?)d[0]!["state"] == "delivered", "the delivery after the restart", TimeSpan.FromSeconds(30));
            Assert.Equal(200, (int?)delivered[0]!["lastStatusCode"]);
            var request = Assert.Single(receiver.At("/hook"));
            WebhookSignature.VerifyAsReadmeSays(request, Secret);
            var body = JsonNode.Parse(request.Body)!;
            Assert.Equal("firing", (string?)body["kind"]);
            Assert.Equal("MeshPortalCaExpiring", (string?)body["alert"]!["rule"]);
            Assert.StartsWith("The mesh root CA expires in 19 day(s)", (string?)body["alert"]!["summary"]);

            // Fired once: evaluating again after the restart queues nothing new while the condition holds.
            Assert.True((await api2.PostAsync("/api/v1/alerts/evaluate", null)).IsSuccessStatusCode);
            Assert.Single((await JsonAsync(await api2.GetAsync($"/api/v1/alerts/channels/{channelId}/deliveries"))).AsArray());
            Assert.Single(receiver.At("/hook"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static HttpClient Client(PortalProcess portal)
    {
        var client = new HttpClient { BaseAddress = portal.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }
}
