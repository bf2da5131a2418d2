using MeshPortal.Core.Features.Clusters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Trust;

public enum RootMode
{
    Generated,
    Imported,
    External,
}

public enum RootState
{
    /// <summary>The root every cluster's intermediate chains to.</summary>
    Active,

    /// <summary>A new root during rotation: distributed beside the active one, not yet signing.</summary>
    Next,

    /// <summary>No longer trusted anywhere.</summary>
    Retired,
}

/// <summary>A mesh root CA. Only the public certificate is ever shown; the key (absent for an external root) is protected.</summary>
public sealed class MeshRootEntity
{
    public int Id { get; set; }
    public RootMode Mode { get; set; }
    public RootState State { get; set; }

    /// <summary>"Rsa4096", "Rsa2048", "EcdsaP256", "EcdsaP384".</summary>
    public required string KeyType { get; set; }

    public required string Subject { get; set; }
    public required string CertificatePem { get; set; }

    /// <summary>PEM private key protected with Data Protection; null for an external root (the company CA keeps it).</summary>
    public string? ProtectedPrivateKey { get; set; }

    /// <summary>Uppercase hex SHA-256 of the DER certificate.</summary>
    public required string FingerprintSha256 { get; set; }

    public DateTimeOffset NotBefore { get; set; }
    public DateTimeOffset NotAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum IntermediateState
{
    /// <summary>External root: key and CSR exist, waiting for the signed certificate.</summary>
    AwaitingSignature,

    /// <summary>The cluster's current intermediate, pushed as cacerts.</summary>
    Active,

    /// <summary>Replaced by a re-issue or rotation.</summary>
    Superseded,
}

/// <summary>A cluster's intermediate CA (the <c>ca-cert.pem</c>/<c>ca-key.pem</c> of its <c>istio-system/cacerts</c>).</summary>
public sealed class ClusterIntermediateEntity
{
    public int Id { get; set; }
    public int ClusterId { get; set; }
    public ClusterEntity? Cluster { get; set; }
    public int RootId { get; set; }
    public MeshRootEntity? Root { get; set; }
    public IntermediateState State { get; set; }
    public required string KeyType { get; set; }

    /// <summary>The issued certificate; null while awaiting an external signature.</summary>
    public string? CertificatePem { get; set; }

    /// <summary>For an external root: the CSR to download and have signed.</summary>
    public string? CsrPem { get; set; }

    public required string ProtectedPrivateKey { get; set; }
    public string? SerialNumber { get; set; }
    public DateTimeOffset? NotBefore { get; set; }
    public DateTimeOffset? NotAfter { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Where a cluster is in its root transition (from istiod's self-signed <c>istio-ca-secret</c> to the mesh root). Before any row
/// exists the phase is read from the cluster: a first <c>cacerts</c> into a self-signed cluster starts at <see cref="Bundle"/>.
/// </summary>
public enum TransitionPhase
{
    /// <summary>Phase 1: cacerts signs with the cluster's old self-signed root; root-cert.pem carries old + mesh roots.</summary>
    Bundle = 1,

    /// <summary>Phase 2: cacerts signs with the cluster's intermediate from the mesh root; root-cert.pem still carries mesh + old roots.</summary>
    Intermediate = 2,

    /// <summary>Phase 3: the old root is dropped; root-cert.pem carries the mesh root(s) only.</summary>
    Done = 3,
}

/// <summary>A cluster's root transition phase, set when an admin (or the API) advances it; the gate evidence is read from the cluster.</summary>
public sealed class TrustTransitionEntity
{
    public int Id { get; set; }
    public int ClusterId { get; set; }
    public ClusterEntity? Cluster { get; set; }
    public TransitionPhase Phase { get; set; }

    /// <summary>When the phase was set.</summary>
    public DateTimeOffset PhaseSince { get; set; }

    /// <summary>Who advanced it, and whether the gate was overridden (audited as well).</summary>
    public string? AdvancedBy { get; set; }

    public bool Overridden { get; set; }
}

internal sealed class MeshRootConfiguration : IEntityTypeConfiguration<MeshRootEntity>
{
    public void Configure(EntityTypeBuilder<MeshRootEntity> e)
    {
        e.ToTable("MeshRoots");
        e.Property(r => r.Mode).HasConversion<string>().HasMaxLength(20);
        e.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
        e.Property(r => r.KeyType).HasMaxLength(20);
        e.HasIndex(r => r.FingerprintSha256).IsUnique();
    }
}

internal sealed class ClusterIntermediateConfiguration : IEntityTypeConfiguration<ClusterIntermediateEntity>
{
    public void Configure(EntityTypeBuilder<ClusterIntermediateEntity> e)
    {
        e.ToTable("ClusterIntermediates");
        e.Property(i => i.State).HasConversion<string>().HasMaxLength(20);
        e.Property(i => i.KeyType).HasMaxLength(20);
        e.HasOne(i => i.Cluster).WithMany().HasForeignKey(i => i.ClusterId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(i => i.Root).WithMany().HasForeignKey(i => i.RootId).OnDelete(DeleteBehavior.Restrict);
        e.HasIndex(i => new { i.ClusterId, i.State });
    }
}

internal sealed class TrustTransitionConfiguration : IEntityTypeConfiguration<TrustTransitionEntity>
{
    public void Configure(EntityTypeBuilder<TrustTransitionEntity> e)
    {
        e.ToTable("TrustTransitions");
        e.Property(t => t.Phase).HasConversion<string>().HasMaxLength(20);
        e.Property(t => t.AdvancedBy).HasMaxLength(200);
        e.HasOne(t => t.Cluster).WithMany().HasForeignKey(t => t.ClusterId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(t => t.ClusterId).IsUnique();
    }
}
