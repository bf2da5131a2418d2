using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// A service exported from one cluster to others as <c>&lt;service&gt;.&lt;namespace&gt;.global</c>. The VIP
/// (<see cref="Address"/>) is unique by database constraint and is reclaimed when the export is deleted.
/// </summary>
public sealed class ExportEntity
{
    public int Id { get; set; }
    public int ClusterId { get; set; }
    public ClusterEntity? Cluster { get; set; }
    public required string Namespace { get; set; }
    public required string Service { get; set; }

    /// <summary><c>&lt;service&gt;.&lt;namespace&gt;.global</c>; unique.</summary>
    public required string Host { get; set; }

    /// <summary>The VIP, identical in every consumer cluster; unique.</summary>
    public required string Address { get; set; }

    /// <summary>True: every other registered cluster consumes it (now and later). False: only <see cref="Consumers"/>.</summary>
    public bool AllConsumers { get; set; }

    public string? CreatedBy { get; set; }

    /// <summary>The local user id of the creator (also for SSO users, who have a shadow record); null for the system.</summary>
    public string? CreatedByUserId { get; set; }

    /// <summary>The team that owns the export; its members may change it. Null: only admins, or a team granted its namespace.</summary>
    public int? OwnerTeamId { get; set; }

    public TeamEntity? OwnerTeam { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Where the move from <c>.global</c> to multi-primary stands (<c>ExportMoveRules</c>).</summary>
    public ExportMovePhase MovePhase { get; set; }

    /// <summary>When the move started: only probes of the new name taken after it count.</summary>
    public DateTimeOffset? MoveStartedAt { get; set; }

    /// <summary>When the new name answered everywhere and the <c>.global</c> objects were let go.</summary>
    public DateTimeOffset? MoveFinishedAt { get; set; }

    /// <summary>What the move last saw (who has not answered yet, with what), shown on the export page.</summary>
    public string? MoveNote { get; set; }

    public List<ExportPortEntity> Ports { get; set; } = [];
    public List<ExportConsumerEntity> Consumers { get; set; } = [];
}

public sealed class ExportPortEntity
{
    public int Id { get; set; }
    public int ExportId { get; set; }
    public required string Name { get; set; }
    public int Number { get; set; }

    /// <summary>Istio protocol: HTTP, HTTP2, GRPC, TCP, TLS, HTTPS, MONGO, ...</summary>
    public required string Protocol { get; set; }
}

/// <summary>
/// A cluster of the mesh seen, at its last push, to run a Service of the export's name and namespace (one that MeshPortal did
/// not create for DNS): in multi-primary istiod merges the endpoints of every such cluster into the one host. Written per
/// cluster by <c>ExportSourceObserver</c>, so two clusters' pushes never touch the same row.
/// </summary>
public sealed class ExportSourceEntity
{
    public int ExportId { get; set; }
    public int ClusterId { get; set; }
    public DateTimeOffset ObservedAt { get; set; }
}

public sealed class ExportConsumerEntity
{
    public int ExportId { get; set; }
    public int ClusterId { get; set; }
    public ClusterEntity? Cluster { get; set; }
}

/// <summary>Where an export stands in its move from the <c>.global</c> model to multi-primary (stored on the export).</summary>
public enum ExportMovePhase
{
    /// <summary>Never moved: each pair uses the model <c>GlobalModelPairs</c> prefers (<c>.global</c> where it still works securely).</summary>
    None,

    /// <summary>
    /// The modern objects are written beside the <c>.global</c> ones and the probes try the new name from every moving consumer;
    /// apps keep calling the <c>.global</c> name, which keeps working.
    /// </summary>
    Moving,

    /// <summary>The new name answered from every moving consumer: pairs that can run multi-primary use it and the <c>.global</c> objects are pruned.</summary>
    Moved,
}

internal sealed class ExportConfiguration : IEntityTypeConfiguration<ExportEntity>
{
    public void Configure(EntityTypeBuilder<ExportEntity> e)
    {
        e.ToTable("Exports");
        e.Property(x => x.Namespace).HasMaxLength(63);
        e.Property(x => x.Service).HasMaxLength(63);
        e.Property(x => x.Host).HasMaxLength(253);
        e.Property(x => x.Address).HasMaxLength(45);
        e.Property(x => x.MovePhase).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.MoveNote).HasMaxLength(2000);
        e.HasIndex(x => x.Host).IsUnique();
        e.HasIndex(x => x.Address).IsUnique();
        e.HasIndex(x => new { x.ClusterId, x.Namespace, x.Service }).IsUnique();
        e.HasOne(x => x.Cluster).WithMany().HasForeignKey(x => x.ClusterId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Ports).WithOne().HasForeignKey(p => p.ExportId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(x => x.Consumers).WithOne().HasForeignKey(c => c.ExportId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.CreatedByUserId).HasMaxLength(450);
        e.HasOne(x => x.OwnerTeam).WithMany().HasForeignKey(x => x.OwnerTeamId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ExportPortConfiguration : IEntityTypeConfiguration<ExportPortEntity>
{
    public void Configure(EntityTypeBuilder<ExportPortEntity> e)
    {
        e.ToTable("ExportPorts");
        e.Property(p => p.Name).HasMaxLength(63);
        e.Property(p => p.Protocol).HasMaxLength(20);
        e.HasIndex(p => new { p.ExportId, p.Number }).IsUnique();
    }
}

internal sealed class ExportConsumerConfiguration : IEntityTypeConfiguration<ExportConsumerEntity>
{
    public void Configure(EntityTypeBuilder<ExportConsumerEntity> e)
    {
        e.ToTable("ExportConsumers");
        e.HasKey(c => new { c.ExportId, c.ClusterId });
        e.HasOne(c => c.Cluster).WithMany().HasForeignKey(c => c.ClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExportSourceConfiguration : IEntityTypeConfiguration<ExportSourceEntity>
{
    public void Configure(EntityTypeBuilder<ExportSourceEntity> e)
    {
        e.ToTable("ExportSources");
        e.HasKey(s => new { s.ExportId, s.ClusterId });
        e.HasOne<ExportEntity>().WithMany().HasForeignKey(s => s.ExportId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<ClusterEntity>().WithMany().HasForeignKey(s => s.ClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}
