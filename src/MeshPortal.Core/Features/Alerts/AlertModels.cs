using System.Text.Json.Serialization;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>How urgent an alert is (Alertmanager's <c>severity</c> label uses the lower-case name).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertSeverity>))]
public enum AlertSeverity
{
    Info,
    Warning,
    Critical,
}

/// <summary>Where an alert is in its life: Pending (condition holds, not long enough yet), Firing, Resolved (history).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertStatus>))]
public enum AlertStatus
{
    Pending,
    Firing,
    Resolved,
}

/// <summary>Why a notification is sent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationKind>))]
public enum NotificationKind
{
    Firing,
    Repeat,
    Resolved,
    Test,
}

/// <summary>The alert rules MeshPortal evaluates (the <c>alertname</c> label).</summary>
public static class AlertRules
{
    public const string LinkFailing = "MeshPortalLinkFailing";
    public const string ConsumerSyncFailed = "MeshPortalExportConsumerFailed";
    public const string ClusterUnreachable = "MeshPortalClusterUnreachable";
    public const string CaExpiring = "MeshPortalCaExpiring";
    public const string PushFailing = "MeshPortalPushFailing";
    public const string ProbeJobNotRunning = "MeshPortalProbeJobNotRunning";
    public const string RemoteSyncBroken = "MeshPortalRemoteClusterSyncBroken";

    public static readonly IReadOnlyList<string> All = [LinkFailing, ConsumerSyncFailed, ClusterUnreachable, CaExpiring, PushFailing, ProbeJobNotRunning, RemoteSyncBroken];
}

/// <summary>Label names every alert may carry (also the silence matchers).</summary>
public static class AlertLabels
{
    public const string Cluster = "cluster";
    public const string Namespace = "namespace";
    public const string Service = "service";
    public const string Team = "team";
    public const string Source = "source_cluster";
}

/// <summary>
/// One condition that holds now, as the evaluator found it. <see cref="Key"/> identifies it across cycles (same key = same alert).
/// <see cref="Observation"/> is the time of the evidence (a probe's observedAt): the alert counts distinct observations for
/// "N consecutive probes"; <see cref="RequiredObservations"/> and <see cref="For"/> say how long it must hold before it fires.
/// </summary>
public sealed record AlertCondition(
    string Key,
    string Rule,
    AlertSeverity Severity,
    string Summary,
    string Cause,
    string? Hint,
    string Link,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Teams,
    DateTimeOffset? Observation = null,
    int RequiredObservations = 1,
    TimeSpan For = default);
