using MeshPortal.Core.Features.Alerts;

namespace MeshPortal.Tests.Core.Alerts;

/// <summary>The pure lifecycle: pending → firing once → repeat → resolved; silences; routing by team; payloads and signatures.</summary>
[Trait("Speed", "Fast")]
public sealed class AlertLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Options = new() { RepeatIntervalMinutes = 60 };

    private static AlertCondition Link(DateTimeOffset observed, AlertSeverity severity = AlertSeverity.Critical) => new("links/target/2", AlertRules.LinkFailing, severity,
        "3 links to west fail", "gateway", "hint", "/reachability", new Dictionary<string, string> { ["cluster"] = "west", ["team"] = "web" }, ["web"], observed, 3);

    private sealed class Run
    {
        public List<AlertEntity> Open { get; } = [];
        public List<AlertSilenceEntity> Silences { get; } = [];

        public List<AlertTransition> Step(DateTimeOffset now, params AlertCondition[] conditions)
        {
            var r = AlertLifecycle.Step(conditions, Open, Silences, now, Options);
            Open.AddRange(r.Added);
            Open.RemoveAll(a => r.Dropped.Contains(a) || a.Status == AlertStatus.Resolved);
            return [.. r.Notifications];
        }
    }

    [Fact]
    public void Fires_once_after_three_distinct_observations_repeats_at_the_interval_and_resolves_with_a_notice()
    {
        var run = new Run();
        Assert.Empty(run.Step(T0, Link(T0)));
        Assert.Empty(run.Step(T0.AddSeconds(30), Link(T0))); // same probe result again: not a new observation
        Assert.Empty(run.Step(T0.AddMinutes(1), Link(T0.AddMinutes(1))));
        Assert.Equal(AlertStatus.Pending, run.Open.Single().Status);
        var fired = Assert.Single(run.Step(T0.AddMinutes(2), Link(T0.AddMinutes(2))));
        Assert.Equal(NotificationKind.Firing, fired.Kind);
        Assert.Empty(run.Step(T0.AddMinutes(3), Link(T0.AddMinutes(3))));
        Assert.Equal(NotificationKind.Repeat, Assert.Single(run.Step(T0.AddMinutes(62), Link(T0.AddMinutes(62)))).Kind);
        var resolved = Assert.Single(run.Step(T0.AddMinutes(63)));
        Assert.Equal(NotificationKind.Resolved, resolved.Kind);
        Assert.Equal(AlertStatus.Resolved, resolved.Alert.Status);
        Assert.Equal(T0.AddMinutes(63), resolved.Alert.ResolvedAt);
    }

    [Fact]
    public void A_pending_alert_that_clears_is_dropped_without_a_word()
    {
        var run = new Run();
        run.Step(T0, Link(T0));
        var r = AlertLifecycle.Step([], run.Open, [], T0.AddMinutes(1), Options);
        Assert.Single(r.Dropped);
        Assert.Empty(r.Notifications);
    }

    [Fact]
    public void A_rising_severity_is_sent_at_once()
    {
        var run = new Run();
        var ca = (AlertSeverity s) => new AlertCondition("ca/intermediate/2", AlertRules.CaExpiring, s, "expires", "c", null, "/trust", new Dictionary<string, string>(), []);
        Assert.Equal(NotificationKind.Firing, Assert.Single(run.Step(T0, ca(AlertSeverity.Info))).Kind);
        Assert.Equal(NotificationKind.Repeat, Assert.Single(run.Step(T0.AddMinutes(1), ca(AlertSeverity.Warning))).Kind);
        Assert.Empty(run.Step(T0.AddMinutes(2), ca(AlertSeverity.Warning)));
    }

    [Fact]
    public void A_silence_mutes_firing_and_resolving_and_the_alert_is_sent_when_it_ends()
    {
        var run = new Run();
        run.Silences.Add(new AlertSilenceEntity { Id = 7, Cluster = "west", Reason = "maintenance", CreatedBy = "admin", EndsAt = T0.AddMinutes(10) });
        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(run.Step(T0.AddMinutes(i), Link(T0.AddMinutes(i))));
        }

        Assert.Equal((AlertStatus.Firing, (int?)7), (run.Open.Single().Status, run.Open.Single().SilenceId));
        Assert.Equal(NotificationKind.Firing, Assert.Single(run.Step(T0.AddMinutes(11), Link(T0.AddMinutes(11)))).Kind);
        Assert.Null(run.Open.Single().SilenceId);

        // Silenced again after it was sent: no repeat, but its resolution is still told to whoever got the firing notice.
        run.Silences.Add(new AlertSilenceEntity { Id = 8, Rule = AlertRules.LinkFailing, Reason = "again", CreatedBy = "admin", EndsAt = T0.AddDays(1) });
        Assert.Empty(run.Step(T0.AddMinutes(300), Link(T0.AddMinutes(300))));
        Assert.Equal(NotificationKind.Resolved, Assert.Single(run.Step(T0.AddMinutes(301))).Kind);
    }

    [Fact]
    public void An_alert_that_fired_and_resolved_entirely_under_a_silence_sends_nothing()
    {
        var run = new Run();
        run.Silences.Add(new AlertSilenceEntity { Id = 9, Cluster = "west", Reason = "maintenance", CreatedBy = "admin", EndsAt = T0.AddHours(1) });
        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(run.Step(T0.AddMinutes(i), Link(T0.AddMinutes(i))));
        }

        Assert.Empty(run.Step(T0.AddMinutes(5)));
    }

    [Fact]
    public void Silence_matchers_must_all_match_and_expired_or_ended_silences_match_nothing()
    {
        var alert = new AlertEntity { Key = "k", Rule = AlertRules.LinkFailing, Summary = "", Cause = "", Link = "", LabelsJson = """{"cluster":"west","team":"web"}""", Teams = "web" };
        AlertSilenceEntity S(string? rule = null, string? cluster = null, string? team = null, DateTimeOffset? ends = null, DateTimeOffset? ended = null) =>
            new() { Rule = rule, Cluster = cluster, Team = team, Reason = "r", CreatedBy = "a", EndsAt = ends ?? T0.AddHours(1), EndedAt = ended };
        Assert.NotNull(SilenceMatcher.Matching([S(cluster: "west", team: "web")], alert, T0));
        Assert.NotNull(SilenceMatcher.Matching([S(rule: AlertRules.LinkFailing)], alert, T0));
        Assert.Null(SilenceMatcher.Matching([S(cluster: "west", team: "payments")], alert, T0));
        Assert.Null(SilenceMatcher.Matching([S(rule: AlertRules.CaExpiring)], alert, T0));
        Assert.Null(SilenceMatcher.Matching([S(cluster: "west", ends: T0)], alert, T0));
        Assert.Null(SilenceMatcher.Matching([S(cluster: "west", ended: T0.AddMinutes(-1))], alert, T0));
    }

    [Fact]
    public void Team_channels_receive_their_teams_alerts_admin_channels_everything_above_their_minimum()
    {
        var alert = new AlertEntity { Key = "k", Rule = "r", Summary = "", Cause = "", Link = "", LabelsJson = "{}", Teams = "web,shop", Severity = AlertSeverity.Warning };
        AlertChannelEntity C(int id, string? team, AlertSeverity min = AlertSeverity.Info, bool enabled = true) =>
            new() { Id = id, Name = "c" + id, ProtectedUrl = "", UrlDisplay = "", Team = team, MinSeverity = min, Enabled = enabled };
        var routed = AlertRouter.Route(alert, [C(1, null), C(2, "web"), C(3, "payments"), C(4, null, AlertSeverity.Critical), C(5, null, enabled: false), C(6, "shop")]);
        Assert.Equal([1, 2, 6], routed.Select(c => c.Id));
    }

    [Fact]
    public void Webhook_signature_is_hmac_sha256_over_timestamp_dot_body_and_verifies_only_unchanged()
    {
        var alert = ChannelPayloads.TestAlert("ops", T0, "https://portal.example.com");
        var request = ChannelPayloads.Webhook(NotificationKind.Firing, alert, "0123456789abcdef-secret", 42, T0);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(T0.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), headers[ChannelPayloads.TimestampHeader]);
        Assert.Equal("42", headers[ChannelPayloads.DeliveryHeader]);
        var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("0123456789abcdef-secret"), System.Text.Encoding.UTF8.GetBytes(headers[ChannelPayloads.TimestampHeader] + "." + request.Body)));
        Assert.Equal(expected, headers[ChannelPayloads.SignatureHeader]);
        Assert.True(ChannelPayloads.Verify("0123456789abcdef-secret", headers[ChannelPayloads.TimestampHeader], request.Body, expected));
        Assert.False(ChannelPayloads.Verify("0123456789abcdef-secret", headers[ChannelPayloads.TimestampHeader], request.Body.Replace("ops", "opz"), expected));
        var body = System.Text.Json.Nodes.JsonNode.Parse(request.Body)!;
        Assert.Equal("firing", (string?)body["kind"]);
        Assert.Equal("https://portal.example.com/alerts", (string?)body["alert"]!["link"]);
    }

    [Fact]
    public void Alertmanager_body_has_labels_annotations_and_ends_when_resolved()
    {
        var alert = new AlertMessage(1, "links/target/2", AlertRules.LinkFailing, AlertSeverity.Critical, AlertStatus.Resolved, "sum", "cause", "hint", "/reachability",
            new Dictionary<string, string> { ["cluster"] = "west" }, ["web"], T0, T0.AddMinutes(5));
        var firing = System.Text.Json.Nodes.JsonNode.Parse(ChannelPayloads.Alertmanager(NotificationKind.Firing, alert, T0.AddMinutes(1), TimeSpan.FromHours(5)))!.AsArray().Single()!;
        Assert.Equal("critical", (string?)firing["labels"]!["severity"]);
        Assert.Equal("west", (string?)firing["labels"]!["cluster"]);
        Assert.Equal(AlertRules.LinkFailing, (string?)firing["labels"]!["alertname"]);
        Assert.Equal("cause", (string?)firing["annotations"]!["description"]);
        Assert.Null(firing["generatorURL"]); // relative links are no URL
        Assert.Equal(T0.AddMinutes(1).AddHours(5), DateTimeOffset.Parse((string)firing["endsAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        var resolved = System.Text.Json.Nodes.JsonNode.Parse(ChannelPayloads.Alertmanager(NotificationKind.Resolved, alert, T0.AddMinutes(9), TimeSpan.FromHours(5)))!.AsArray().Single()!;
        Assert.Equal(T0.AddMinutes(5), DateTimeOffset.Parse((string)resolved["endsAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(4, 40)]
    [InlineData(20, 600)]
    public void Backoff_doubles_from_the_base_up_to_the_cap(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ChannelPayloads.Backoff(attempts, 5, 600));
}
