using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>
/// One occurrence of an alert: Pending or Firing while its condition holds (at most one such row per <see cref="Key"/>), then
/// Resolved and kept as history. Persisted, so a restart neither re-sends nor forgets anything.
/// </summary>
public sealed class AlertEntity
{
    public long Id { get; set; }
    public required string Key { get; set; }
    public required string Rule { get; set; }
    public AlertSeverity Severity { get; set; }
    public AlertStatus Status { get; set; }
    public required string Summary { get; set; }
    public required string Cause { get; set; }
    public string? Hint { get; set; }
    public required string Link { get; set; }

    /// <summary>JSON object of label name → value (cluster, namespace, service, team, ...).</summary>
    public required string LabelsJson { get; set; }

    /// <summary>Teams whose exports the alert is about, comma-separated ("" = none: admins' channels only).</summary>
    public required string Teams { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }
    public DateTimeOffset? FiredAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? LastNotifiedAt { get; set; }

    /// <summary>Distinct observations (probe results) that showed the condition, for "N consecutive probes".</summary>
    public int Observations { get; set; }

    public DateTimeOffset? LastObservation { get; set; }

    /// <summary>The silence that currently mutes it (null = not silenced).</summary>
    public int? SilenceId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Mutes matching alerts until <see cref="EndsAt"/> (or until ended early). Every non-null matcher must equal the alert's.</summary>
public sealed class AlertSilenceEntity
{
    public int Id { get; set; }
    public string? Rule { get; set; }
    public string? Cluster { get; set; }
    public string? Namespace { get; set; }
    public string? Service { get; set; }
    public string? Team { get; set; }
    public required string Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset EndsAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedBy { get; set; }
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<AlertChannelKind>))]
public enum AlertChannelKind
{
    Alertmanager,
    Webhook,
    Slack,
}

/// <summary>Where notifications go. The URL and the secret are protected like kubeconfigs and never shown back.</summary>
public sealed class AlertChannelEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public AlertChannelKind Kind { get; set; }
    public required string ProtectedUrl { get; set; }

    /// <summary>Scheme and host of the URL (not secret), so admins can tell channels apart.</summary>
    public required string UrlDisplay { get; set; }

    /// <summary>Webhook: the HMAC-SHA256 key; Alertmanager: an optional bearer token. Protected; null = none.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Only alerts about this team's exports; null = everything (admins).</summary>
    public string? Team { get; set; }

    public AlertSeverity MinSeverity { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One notification to one channel (the outbox): written in the same transaction as the alert change, delivered by the
/// dispatcher with retries and back-off, and kept as the channel's delivery history.
/// </summary>
public sealed class AlertNotificationEntity
{
    public long Id { get; set; }
    public int ChannelId { get; set; }
    public AlertChannelEntity? Channel { get; set; }
    public long? AlertId { get; set; }
    public NotificationKind Kind { get; set; }

    /// <summary>The alert as it was when the notification was made (an <see cref="AlertMessage"/>).</summary>
    public required string PayloadJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Set when the attempts ran out.</summary>
    public DateTimeOffset? GaveUpAt { get; set; }

    public string? LastError { get; set; }
    public int? LastStatusCode { get; set; }

    /// <summary>A dispatcher holds the row until then (so two replicas never send it twice at once).</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<AlertEntity>
{
    public void Configure(EntityTypeBuilder<AlertEntity> e)
    {
        e.ToTable("Alerts");
        e.Property(a => a.Key).HasMaxLength(300);
        e.Property(a => a.Rule).HasMaxLength(64);
        e.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(a => a.Summary).HasMaxLength(500);
        e.Property(a => a.Cause).HasMaxLength(2000);
        e.Property(a => a.Hint).HasMaxLength(1000);
        e.Property(a => a.Link).HasMaxLength(500);
        e.Property(a => a.LabelsJson).HasMaxLength(2000);
        e.Property(a => a.Teams).HasMaxLength(1000);
        e.HasIndex(a => new { a.Status, a.Key });
        e.HasIndex(a => a.ResolvedAt);
    }
}

internal sealed class AlertSilenceConfiguration : IEntityTypeConfiguration<AlertSilenceEntity>
{
    public void Configure(EntityTypeBuilder<AlertSilenceEntity> e)
    {
        e.ToTable("AlertSilences");
        e.Property(s => s.Rule).HasMaxLength(64);
        e.Property(s => s.Cluster).HasMaxLength(63);
        e.Property(s => s.Namespace).HasMaxLength(63);
        e.Property(s => s.Service).HasMaxLength(63);
        e.Property(s => s.Team).HasMaxLength(63);
        e.Property(s => s.Reason).HasMaxLength(500);
        e.Property(s => s.CreatedBy).HasMaxLength(256);
        e.Property(s => s.EndedBy).HasMaxLength(256);
        e.HasIndex(s => s.EndsAt);
    }
}

internal sealed class AlertChannelConfiguration : IEntityTypeConfiguration<AlertChannelEntity>
{
    public void Configure(EntityTypeBuilder<AlertChannelEntity> e)
    {
        e.ToTable("AlertChannels");
        e.Property(c => c.Name).HasMaxLength(63);
        e.HasIndex(c => c.Name).IsUnique();
        e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(c => c.MinSeverity).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.UrlDisplay).HasMaxLength(300);
        e.Property(c => c.Team).HasMaxLength(63);
    }
}

internal sealed class AlertNotificationConfiguration : IEntityTypeConfiguration<AlertNotificationEntity>
{
    public void Configure(EntityTypeBuilder<AlertNotificationEntity> e)
    {
        e.ToTable("AlertNotifications");
        e.Property(n => n.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(n => n.LastError).HasMaxLength(1000);
        e.HasIndex(n => new { n.ChannelId, n.Id });
        e.HasIndex(n => new { n.DeliveredAt, n.GaveUpAt });
        e.HasOne(n => n.Channel).WithMany().HasForeignKey(n => n.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
