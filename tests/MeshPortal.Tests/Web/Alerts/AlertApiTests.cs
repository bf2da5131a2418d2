using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Alerts;

/// <summary>Channel and silence input over the API: each bad input gets a specific 400 and changes nothing; secrets stay write-only, also in the audit log.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class AlertApiTests(PortalFixture portal)
{
    private readonly HttpClient api = portal.CreateClient();
    private readonly string sfx = Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task Bad_channels_are_refused_with_the_reason_and_nothing_is_stored()
    {
        var before = await CountAsync("/api/v1/alerts/channels");
        var cases = new (object Body, string Detail)[]
        {
            (new { name = $"c-{sfx}", kind = "Webhook", secret = "0123456789abcdef" }, "Enter the URL"),
            (new { name = $"c-{sfx}", kind = "Alertmanager" }, "Alertmanager's base URL"),
            (new { name = $"c-{sfx}", kind = "Webhook", url = "ftp://example.com/x", secret = "0123456789abcdef" }, "http:// or https://"),
            (new { name = $"c-{sfx}", kind = "Webhook", url = "https://user:pw@example.com/x", secret = "0123456789abcdef" }, "without user:password"),
            (new { name = $"c-{sfx}", kind = "Webhook", url = "https://example.com/x" }, "needs a signing secret"),
            (new { name = $"c-{sfx}", kind = "Webhook", url = "https://example.com/x", secret = "short" }, "at least 16 characters"),
            (new { name = $"c-{sfx}", kind = "Slack", url = "https://hooks.example.com/x", secret = "0123456789abcdef" }, "its URL is the credential"),
            (new { name = $"c-{sfx}", kind = "Slack", url = "https://hooks.example.com/x", team = $"no-such-team-{sfx}" }, "There is no team"),
            (new { name = "Not A Name", kind = "Slack", url = "https://hooks.example.com/x" }, "lower-case letters"),
        };
        foreach (var (body, detail) in cases)
        {
            var response = await api.PostAsJsonAsync("/api/v1/alerts/channels", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(detail, (string?)(await JsonAsync(response))["detail"]);
        }

        Assert.Equal(before, await CountAsync("/api/v1/alerts/channels"));
        var created = await api.PostAsJsonAsync("/api/v1/alerts/channels", new { name = $"dup-{sfx}", kind = "Slack", url = $"https://hooks.example.com/services/{sfx}-token" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (int)(await JsonAsync(created))["id"]!;
        try
        {
            var duplicate = await api.PostAsJsonAsync("/api/v1/alerts/channels", new { name = $"dup-{sfx}", kind = "Slack", url = "https://hooks.example.com/other" });
            Assert.Contains("exists already", (string?)(await JsonAsync(duplicate))["detail"]);

            // Changing it without a URL keeps the stored one; nothing of the URL's path is shown back or audited.
            var changed = await api.PutAsJsonAsync($"/api/v1/alerts/channels/{id}", new { name = $"dup-{sfx}", kind = "Slack", minSeverity = "Critical" });
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            var view = (await JsonAsync(await api.GetAsync($"/api/v1/alerts/channels/{id}"))).ToJsonString();
            Assert.Contains("\"target\":\"https://hooks.example.com\"", view);
            Assert.Contains("\"minSeverity\":\"Critical\"", view);
            Assert.DoesNotContain($"{sfx}-token", view);
            var audit = (await JsonAsync(await api.GetAsync($"/api/v1/audit?kind=alert-channel&q=dup-{sfx}"))).ToJsonString();
            Assert.Contains("alert-channel.created", audit);
            Assert.Contains("alert-channel.updated", audit);
            Assert.DoesNotContain($"{sfx}-token", audit);
            Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync("/api/v1/alerts/channels/999999", new { name = "x", kind = "Slack" })).StatusCode);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/alerts/channels/{id}")).StatusCode);
        }
    }

    [Fact]
    public async Task Send_test_reaches_a_slack_compatible_receiver_and_a_dead_one_answers_why()
    {
        await using var receiver = new LoopbackReceiver();
        await receiver.StartAsync();
        var created = await api.PostAsJsonAsync("/api/v1/alerts/channels", new { name = $"slack-{sfx}", kind = "Slack", url = receiver.Url("/services/T0/B0/xyz") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (int)(await JsonAsync(created))["id"]!;
        try
        {
            var sent = await JsonAsync(await api.PostAsync($"/api/v1/alerts/channels/{id}/test", null));
            Assert.True((bool)sent["delivered"]!, sent.ToJsonString());

            // The dispatcher never sends a test notification a second time.
            await portal.Services.GetRequiredService<MeshPortal.Core.Features.Alerts.AlertDispatcher>().DeliverDueAsync(CancellationToken.None);
            var text = (string?)System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(receiver.At("/services/T0/B0/xyz")).Body)!["text"];
            Assert.StartsWith(":bell: *TEST* Test notification from MeshPortal to channel slack-", text);
            Assert.Contains("|Open in MeshPortal>", text);

            await receiver.StopAsync();
            var failed = await JsonAsync(await api.PostAsync($"/api/v1/alerts/channels/{id}/test", null));
            Assert.False((bool)failed["delivered"]!);
            Assert.Contains("refused", (string?)failed["error"], StringComparison.OrdinalIgnoreCase);
            var history = (await JsonAsync(await api.GetAsync($"/api/v1/alerts/channels/{id}/deliveries"))).AsArray();
            Assert.Equal(["given up", "delivered"], history.Select(d => (string?)d!["state"]));
            Assert.Contains("alert-channel.tested", (await JsonAsync(await api.GetAsync($"/api/v1/audit?action=alert-channel.tested&q=slack-{sfx}"))).ToJsonString());
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/alerts/channels/{id}");
        }
    }

    [Fact]
    public async Task Bad_silences_are_refused_with_the_reason_and_nothing_is_stored()
    {
        var before = await CountAsync("/api/v1/alerts/silences?all=true");
        var cases = new (object Body, string Detail)[]
        {
            (new { cluster = "c", durationMinutes = 60 }, "Give a reason"),
            (new { cluster = "c", reason = "r" }, "end time in the future"),
            (new { cluster = "c", reason = "r", endsAt = DateTimeOffset.UtcNow.AddMinutes(-5) }, "end time in the future"),
            (new { cluster = "c", reason = "r", endsAt = DateTimeOffset.UtcNow.AddDays(91) }, "at most 90 days"),
            (new { rule = "NoSuchRule", reason = "r", durationMinutes = 60 }, "Unknown rule"),
            (new { reason = "everything", durationMinutes = 60 }, "Match something"),
        };
        foreach (var (body, detail) in cases)
        {
            var response = await api.PostAsJsonAsync("/api/v1/alerts/silences", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(detail, (string?)(await JsonAsync(response))["detail"]);
        }

        Assert.Equal(before, await CountAsync("/api/v1/alerts/silences?all=true"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/api/v1/alerts/silences/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/alerts?state=bogus")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/alerts?severity=Huge")).StatusCode);
    }

    private async Task<int> CountAsync(string path) => (await JsonAsync(await api.GetAsync(path))).AsArray().Count;
}
