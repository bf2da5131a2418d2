using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>A request to send to a channel: body, content type and extra headers.</summary>
public sealed record ChannelRequest(string Body, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>
/// Pure: the body each kind of channel receives. Alertmanager: its v2 API's list of postable alerts. Webhook: the documented JSON
/// (<c>{"version":"1","kind":...,"sentAt":...,"alert":{...}}</c>) signed with HMAC-SHA256 over <c>timestamp + "." + body</c>.
/// Slack-compatible: <c>{"text": ...}</c> with mrkdwn.
/// </summary>
public static class ChannelPayloads
{
    public const string SignatureHeader = "X-MeshPortal-Signature";
    public const string TimestampHeader = "X-MeshPortal-Timestamp";
    public const string DeliveryHeader = "X-MeshPortal-Delivery";

    public static ChannelRequest Build(AlertChannelKind kind, NotificationKind what, AlertMessage alert, string? secret, long deliveryId, DateTimeOffset now,
        TimeSpan holdFiringFor) => kind switch
        {
            AlertChannelKind.Alertmanager => new ChannelRequest(Alertmanager(what, alert, now, holdFiringFor),
                secret is null ? [] : [new("Authorization", "Bearer " + secret)]),
            AlertChannelKind.Slack => new ChannelRequest(Slack(what, alert), []),
            _ => Webhook(what, alert, secret, deliveryId, now),
        };

    public static string Alertmanager(NotificationKind what, AlertMessage alert, DateTimeOffset now, TimeSpan holdFiringFor)
    {
        var labels = new JsonObject { ["alertname"] = alert.Rule, ["severity"] = alert.Severity.ToString().ToLowerInvariant(), ["meshportal_key"] = alert.Key };
        foreach (var (name, value) in alert.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            labels[name] = value;
        }

        var annotations = new JsonObject { ["summary"] = alert.Summary, ["description"] = alert.Cause, ["link"] = alert.Link };
        if (alert.Hint is not null)
        {
            annotations["hint"] = alert.Hint;
        }

        // A firing alert holds until MeshPortal resolves it (or re-sends it at the repeat interval); a resolved one ends when it did.
        var ends = what == NotificationKind.Resolved ? alert.EndsAt ?? now : now + holdFiringFor;
        var item = new JsonObject
        {
            ["labels"] = labels,
            ["annotations"] = annotations,
            ["startsAt"] = alert.StartsAt.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
            ["endsAt"] = ends.UtcDateTime.ToString("o", CultureInfo.InvariantCulture),
        };
        if (Uri.TryCreate(alert.Link, UriKind.Absolute, out var link) && link.Scheme is "http" or "https")
        {
            item["generatorURL"] = alert.Link;
        }

        return new JsonArray(item).ToJsonString();
    }

    public static string Slack(NotificationKind what, AlertMessage alert)
    {
        var head = what switch
        {
            NotificationKind.Resolved => ":white_check_mark: *RESOLVED*",
            NotificationKind.Test => ":bell: *TEST*",
            _ => alert.Severity == AlertSeverity.Critical ? ":red_circle: *FIRING (critical)*" : $":warning: *FIRING ({alert.Severity.ToString().ToLowerInvariant()})*",
        };
        var text = new StringBuilder().Append(head).Append(' ').AppendLine(alert.Summary).AppendLine(alert.Cause);
        if (alert.Hint is not null && what != NotificationKind.Resolved)
        {
            text.Append("_Hint:_ ").AppendLine(alert.Hint);
        }

        text.Append('<').Append(alert.Link).Append("|Open in MeshPortal>");
        return new JsonObject { ["text"] = text.ToString() }.ToJsonString();
    }

    public static ChannelRequest Webhook(NotificationKind what, AlertMessage alert, string? secret, long deliveryId, DateTimeOffset now)
    {
        var body = JsonSerializer.Serialize(new WebhookBody("1", what.ToString().ToLowerInvariant(), now, alert), AlertMessage.Json);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        List<KeyValuePair<string, string>> headers = [new(TimestampHeader, timestamp), new(DeliveryHeader, deliveryId.ToString(CultureInfo.InvariantCulture))];
        if (!string.IsNullOrEmpty(secret))
        {
            headers.Add(new(SignatureHeader, Sign(secret, timestamp, body)));
        }

        return new ChannelRequest(body, headers);
    }

    /// <summary><c>sha256=</c> + lower-case hex of HMAC-SHA256(key = the secret's UTF-8 bytes, message = timestamp + "." + body).</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body)));

    /// <summary>A receiver's check, in constant time.</summary>
    public static bool Verify(string secret, string timestamp, string body, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));

    /// <summary>The synthetic alert of "send test notification".</summary>
    public static AlertMessage TestAlert(string channel, DateTimeOffset now, string? portalUrl) => new(0, "test/" + channel, "MeshPortalTestNotification",
        AlertSeverity.Info, AlertStatus.Firing, $"Test notification from MeshPortal to channel {channel}",
        "An admin asked for a test notification; nothing is wrong.", null, AlertMessage.Absolute("/alerts", portalUrl),
        new Dictionary<string, string> { ["channel"] = channel }, [], now, now.AddMinutes(5));

    /// <summary>Pure: seconds to wait after <paramref name="attempts"/> failed attempts (doubling from the base, capped).</summary>
    public static TimeSpan Backoff(int attempts, int baseSeconds, int maxSeconds)
    {
        var seconds = Math.Max(1, baseSeconds) * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(Math.Max(1, maxSeconds), seconds));
    }
}

public sealed record WebhookBody(string Version, string Kind, DateTimeOffset SentAt, AlertMessage Alert);
