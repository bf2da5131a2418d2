using MeshPortal.Core.Features.Clusters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Sync;

public enum ObjectSyncState
{
    Pending,
    Synced,
    Failed,

    /// <summary>An export consumer that the <c>.global</c> model cannot carry (nothing is written there; the reason says why).</summary>
    Unsupported,
}

/// <summary>
/// One object MeshPortal manages in one cluster, with its last sync result. <see cref="Source"/> says why it exists:
/// "trust", "dns", "passthrough", or "export/&lt;id&gt;" (which is how an export's per-consumer state is read).
/// </summary>
public sealed class ManagedObjectEntity
{
    public long Id { get; set; }
    public int ClusterId { get; set; }
    public ClusterEntity? Cluster { get; set; }
    public required string ApiVersion { get; set; }
    public required string Kind { get; set; }
    public string? Namespace { get; set; }
    public required string Name { get; set; }
    public required string Source { get; set; }

    /// <summary>Hash of the desired object as last planned.</summary>
    public required string DesiredHash { get; set; }

    public ObjectSyncState State { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? LastSyncedAt { get; set; }
}

/// <summary>One push of one cluster's desired state: what changed, how long it took, what failed.</summary>
public sealed class SyncRunEntity
{
    public long Id { get; set; }
    public int ClusterId { get; set; }
    public ClusterEntity? Cluster { get; set; }
    public required string Trigger { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public bool Succeeded { get; set; }
    public int Created { get; set; }
    public int Updated { get; set; }
    public int Deleted { get; set; }
    public int Unchanged { get; set; }
    public int Failed { get; set; }
    public string? Error { get; set; }

    /// <summary>JSON list of the changes made ({action, kind, namespace, name, message}).</summary>
    public required string ChangesJson { get; set; }

    /// <summary>
    /// <see cref="SyncDigest"/> of what this run compared, stored only when it succeeded and found everything
    /// in sync (so the cluster's next push may skip the comparison when nothing planned or observed changed).
    /// </summary>
    public string? StateDigest { get; set; }

    /// <summary>
    /// When the cluster's Synced objects were last confirmed in the cluster: this run's finish when it compared them (or knew
    /// them unchanged through <see cref="StateDigest"/>), otherwise the value of the cluster's previous run, carried forward.
    /// A Synced object's last success is the later of its own <see cref="ManagedObjectEntity.LastSyncedAt"/> and this
    /// (<see cref="SyncConfirmations"/>), so a no-op push writes one run row instead of one update per object.
    /// </summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>JSON of the keyed planners' <see cref="PlanMemo"/>s by name, stored with <see cref="StateDigest"/> (only on in-sync runs).</summary>
    public string? PlanMemos { get; set; }
}

internal sealed class ManagedObjectConfiguration : IEntityTypeConfiguration<ManagedObjectEntity>
{
    public void Configure(EntityTypeBuilder<ManagedObjectEntity> e)
    {
        e.ToTable("ManagedObjects");
        e.Property(m => m.State).HasConversion<string>().HasMaxLength(20);
        e.Property(m => m.ApiVersion).HasMaxLength(100);
        e.Property(m => m.Kind).HasMaxLength(63);
        e.Property(m => m.Namespace).HasMaxLength(63);
        e.Property(m => m.Name).HasMaxLength(253);
        e.Property(m => m.Source).HasMaxLength(100);
        e.HasIndex(m => new { m.ClusterId, m.Kind, m.Namespace, m.Name }).IsUnique();
        e.HasIndex(m => m.Source);
        e.HasOne(m => m.Cluster).WithMany().HasForeignKey(m => m.ClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRunEntity>
{
    public void Configure(EntityTypeBuilder<SyncRunEntity> e)
    {
        e.ToTable("SyncRuns");
        e.Property(r => r.StateDigest).HasMaxLength(64);
        e.HasIndex(r => new { r.ClusterId, r.StartedAt });
        e.HasOne(r => r.Cluster).WithMany().HasForeignKey(r => r.ClusterId).OnDelete(DeleteBehavior.Cascade);
    }
}
