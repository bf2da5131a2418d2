using MeshPortal.Core.Features.Clusters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// The latest probe result of one (consumer cluster, host, port): one row per link, replaced every cycle.
/// <see cref="Status"/> is a <c>ProbeStatus</c> name (Ok, Dns, Connect, Tls, NoUpstream, NotFound, ProbePodMissing, Unknown).
/// </summary>
public sealed class ProbeResultEntity
{
    public long Id { get; set; }
    public int SourceClusterId { get; set; }
    public ClusterEntity? SourceCluster { get; set; }
    public int TargetClusterId { get; set; }
    public int ExportId { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public required string Status { get; set; }
    public int? HttpStatus { get; set; }
    public double? LatencyMs { get; set; }
    public int? ExitCode { get; set; }
    public string? Message { get; set; }
    public string? Hint { get; set; }
    public DateTimeOffset ObservedAt { get; set; }
}

/// <summary>
/// Raw history of a link (kept for <c>MeshPortal:Probes:RawRetentionHours</c>). Since the store-on-change history a row is written
/// only when a link's outcome (its <see cref="Status"/>) changes (<see cref="IsChange"/>; the result is also counted in the hour's
/// <see cref="ProbeRollupEntity"/> at write time). Rows written before (<see cref="IsChange"/> false) are one per result, counted
/// nowhere else, and are folded into the roll-ups when retention removes them.
/// </summary>
public sealed class ProbeHistoryEntity
{
    public long Id { get; set; }
    public int SourceClusterId { get; set; }
    public int TargetClusterId { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public required string Status { get; set; }
    public int? HttpStatus { get; set; }
    public double? LatencyMs { get; set; }
    public DateTimeOffset ObservedAt { get; set; }

    /// <summary>True: a change point (the link's first result or one whose status differs from the one before it).</summary>
    public bool IsChange { get; set; }

    /// <summary>The status the link had before this change (null for its first result and for per-result rows).</summary>
    public string? PreviousStatus { get; set; }
}

/// <summary>One hour of one link's results: counts and latency (kept for <c>MeshPortal:Probes:RollupRetentionDays</c>).</summary>
public sealed class ProbeRollupEntity
{
    public long Id { get; set; }
    public int SourceClusterId { get; set; }
    public int TargetClusterId { get; set; }
    public required string Host { get; set; }
    public int Port { get; set; }
    public DateTimeOffset HourStart { get; set; }
    public int Count { get; set; }
    public int OkCount { get; set; }
    public double LatencySumMs { get; set; }
    public double LatencyMaxMs { get; set; }
    public required string WorstStatus { get; set; }

    /// <summary>When the first and the last result counted here were observed (null on roll-ups written before they were kept).</summary>
    public DateTimeOffset? FirstAt { get; set; }

    public DateTimeOffset? LastAt { get; set; }
}

internal sealed class ProbeResultConfiguration : IEntityTypeConfiguration<ProbeResultEntity>
{
    public void Configure(EntityTypeBuilder<ProbeResultEntity> e)
    {
        e.ToTable("ProbeResults");
        e.Property(r => r.Host).HasMaxLength(253);
        e.Property(r => r.Status).HasMaxLength(20);
        e.Property(r => r.Message).HasMaxLength(1000);
        e.Property(r => r.Hint).HasMaxLength(1000);
        e.HasIndex(r => new { r.SourceClusterId, r.Host, r.Port }).IsUnique();
        e.HasIndex(r => r.TargetClusterId);
        e.HasOne(r => r.SourceCluster).WithMany().HasForeignKey(r => r.SourceClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProbeHistoryConfiguration : IEntityTypeConfiguration<ProbeHistoryEntity>
{
    public void Configure(EntityTypeBuilder<ProbeHistoryEntity> e)
    {
        e.ToTable("ProbeHistory");
        e.Property(r => r.Host).HasMaxLength(253);
        e.Property(r => r.Status).HasMaxLength(20);
        e.Property(r => r.PreviousStatus).HasMaxLength(20);
        e.HasIndex(r => r.ObservedAt);
        e.HasIndex(r => new { r.SourceClusterId, r.Host, r.Port, r.ObservedAt });
    }
}

internal sealed class ProbeRollupConfiguration : IEntityTypeConfiguration<ProbeRollupEntity>
{
    public void Configure(EntityTypeBuilder<ProbeRollupEntity> e)
    {
        e.ToTable("ProbeRollups");
        e.Property(r => r.Host).HasMaxLength(253);
        e.Property(r => r.WorstStatus).HasMaxLength(20);
        e.HasIndex(r => new { r.SourceClusterId, r.Host, r.Port, r.HourStart }).IsUnique();
        e.HasIndex(r => r.HourStart);
    }
}
