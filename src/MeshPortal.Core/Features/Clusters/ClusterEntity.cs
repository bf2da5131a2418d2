using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>A registered cluster: intent (name, credentials, labels) plus what its last check observed.</summary>
public sealed class ClusterEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Context { get; set; }

    /// <summary>Single-context kubeconfig, protected with ASP.NET Core Data Protection. Never shown back.</summary>
    public required string ProtectedKubeconfig { get; set; }

    /// <summary>Server URL of the chosen context (not secret; shown in the UI).</summary>
    public required string Server { get; set; }

    /// <summary>Bumped whenever the kubeconfig changes, so cached clients are rebuilt.</summary>
    public int CredentialVersion { get; set; } = 1;

    public string? Network { get; set; }
    public string? Region { get; set; }

    public string? KubernetesVersion { get; set; }
    public string? IstioVersion { get; set; }
    public string? GatewayAddress { get; set; }
    public int? GatewayPort { get; set; }
    public string? IstioCoreDnsAddress { get; set; }
    public bool DnsProxying { get; set; }
    public string? DnsProvider { get; set; }

    /// <summary>What the last connection check's "mesh model" stage read (<see cref="MeshFacts"/> as JSON); null before it ran.</summary>
    public string? MeshFactsJson { get; set; }

    /// <summary>
    /// A token of this cluster's <c>istio-reader-service-account</c> (protected like kubeconfigs), read from the token Secret
    /// MeshPortal keeps there; its peers' remote secrets carry it. Never the credential MeshPortal itself uses.
    /// </summary>
    public string? ProtectedReaderToken { get; set; }

    /// <summary>The API server address other clusters' istiod dial (remote secrets); null = the address in the kubeconfig.</summary>
    public string? PeerApiServer { get; set; }

    /// <summary>An admin asked MeshPortal to deploy and own this cluster's east-west gateway (see <c>EastWestGateway</c>).</summary>
    public bool DeployEastWestGateway { get; set; }

    /// <summary>For a primary: the remote clusters its istiod had not synced at the last check, and why; null when all were.</summary>
    public string? RemoteSyncProblem { get; set; }

    public DateTimeOffset? LastCheckedAt { get; set; }
    public bool? LastCheckPassed { get; set; }

    /// <summary>Id of the first failed stage of the last check, if any.</summary>
    public string? LastFailedStage { get; set; }

    /// <summary>What to do with an <c>istio-system/cacerts</c> that MeshPortal did not write.</summary>
    public CacertsDecision CacertsDecision { get; set; }

    /// <summary>Namespace of the existing probe pod (null = <c>MeshPortal:Probes:Namespace</c>, default <c>foo</c>).</summary>
    public string? ProbeNamespace { get; set; }

    /// <summary>Label selector of the existing probe pod (null = <c>MeshPortal:Probes:LabelSelector</c>, default <c>app=sleep</c>).</summary>
    public string? ProbeLabelSelector { get; set; }

    /// <summary>MeshPortal deploys its own probe pod (namespace <c>meshportal-probe</c>, sidecar-injected) and probes from it.</summary>
    public bool ProbeOwnPod { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<ClusterCheckRunEntity> CheckRuns { get; set; } = [];
}

public enum CacertsDecision
{
    /// <summary>No decision needed, or not made yet: a cacerts MeshPortal did not write is left alone and reported.</summary>
    None,

    /// <summary>The admin chose to replace the foreign cacerts with the one MeshPortal issues.</summary>
    Replace,

    /// <summary>The admin chose to keep the existing cacerts; MeshPortal does not manage this cluster's cacerts.</summary>
    Adopt,
}

internal sealed class ClusterConfiguration : IEntityTypeConfiguration<ClusterEntity>
{
    public void Configure(EntityTypeBuilder<ClusterEntity> e)
    {
        e.ToTable("Clusters");
        e.HasIndex(c => c.Name).IsUnique();
        e.Property(c => c.Name).HasMaxLength(63);
        e.Property(c => c.Context).HasMaxLength(253);
        e.Property(c => c.Server).HasMaxLength(2048);
        e.Property(c => c.Network).HasMaxLength(63);
        e.Property(c => c.Region).HasMaxLength(63);
        e.Property(c => c.ProbeNamespace).HasMaxLength(63);
        e.Property(c => c.ProbeLabelSelector).HasMaxLength(253);
        e.Property(c => c.PeerApiServer).HasMaxLength(2048);
        e.Property(c => c.RemoteSyncProblem).HasMaxLength(4000);
        e.HasMany(c => c.CheckRuns).WithOne(r => r.Cluster!).HasForeignKey(r => r.ClusterId).OnDelete(DeleteBehavior.Cascade);
        e.Property(c => c.CacertsDecision).HasConversion<string>().HasMaxLength(20);
    }
}
