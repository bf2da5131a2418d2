using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>One staged connection check of a cluster, kept as history.</summary>
public sealed class ClusterCheckRunEntity
{
    public long Id { get; set; }
    public int ClusterId { get; set; }
    public ClusterEntity? Cluster { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public bool Passed { get; set; }

    /// <summary>Who or what started it: a user name, "api:&lt;token&gt;", "schedule", "registration".</summary>
    public required string Trigger { get; set; }

    /// <summary>The stages as JSON (array of CheckStage).</summary>
    public required string StagesJson { get; set; }
}

internal sealed class ClusterCheckRunConfiguration : IEntityTypeConfiguration<ClusterCheckRunEntity>
{
    public void Configure(EntityTypeBuilder<ClusterCheckRunEntity> e)
    {
        e.ToTable("ClusterCheckRuns");
        e.HasIndex(r => new { r.ClusterId, r.StartedAt });
    }
}
