using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Platform.Audit;

/// <summary>
/// One audit record. Append-only from the application's side: <see cref="AuditLog"/> only inserts, and only
/// retention deletes rows older than the configured period. Never holds secrets.
/// </summary>
public sealed class AuditEntryEntity
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>User name, or "anonymous" (sign-in failures), or "system" (background work).</summary>
    public required string Actor { get; set; }
    public string? UserId { get; set; }

    /// <summary>Name of the API token the request used, when it used one.</summary>
    public string? TokenName { get; set; }
    public string? RemoteIp { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>Dotted verb, e.g. <c>cluster.registered</c>, <c>export.deleted</c>, <c>signin.failed</c>.</summary>
    public required string Action { get; set; }

    /// <summary>What kind of thing was acted on: cluster, trust, export, grant, team, user, token, sync, probe, session.</summary>
    public required string TargetKind { get; set; }
    public string? Target { get; set; }

    /// <summary><c>success</c>, <c>denied</c> or <c>failed</c>.</summary>
    public required string Outcome { get; set; }
    public string? Summary { get; set; }

    /// <summary>JSON of the relevant fields before and after the change, where it matters (never secrets).</summary>
    public string? Before { get; set; }
    public string? After { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntryEntity>
{
    public void Configure(EntityTypeBuilder<AuditEntryEntity> e)
    {
        e.ToTable("AuditEntries");
        e.HasIndex(a => a.At);
        e.HasIndex(a => new { a.TargetKind, a.At });
        e.HasIndex(a => new { a.Actor, a.At });
        e.Property(a => a.Actor).HasMaxLength(256);
        e.Property(a => a.Action).HasMaxLength(64);
        e.Property(a => a.TargetKind).HasMaxLength(32);
        e.Property(a => a.Outcome).HasMaxLength(16);
    }
}
