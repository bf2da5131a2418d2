using System.Text.Json;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>
/// What a channel receives about one alert (the generic webhook's documented <c>alert</c> object). <see cref="Link"/> is absolute
/// when <c>MeshPortal:Alerts:PortalUrl</c> is set.
/// </summary>
public sealed record AlertMessage(
    long Id,
    string Key,
    string Rule,
    AlertSeverity Severity,
    AlertStatus Status,
    string Summary,
    string Cause,
    string? Hint,
    string Link,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Teams,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static AlertMessage From(AlertEntity a, string? portalUrl) => new(a.Id, a.Key, a.Rule, a.Severity, a.Status, a.Summary, a.Cause, a.Hint,
        Absolute(a.Link, portalUrl), ReadLabels(a.LabelsJson), ReadTeams(a.Teams), a.FiredAt ?? a.FirstSeenAt, a.ResolvedAt);

    public static IReadOnlyDictionary<string, string> ReadLabels(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? [];

    public static IReadOnlyList<string> ReadTeams(string teams) => teams.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Absolute(string link, string? portalUrl) =>
        string.IsNullOrWhiteSpace(portalUrl) || !link.StartsWith('/') ? link : portalUrl.TrimEnd('/') + link;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static AlertMessage FromJson(string json) => JsonSerializer.Deserialize<AlertMessage>(json, Json)!;
}
