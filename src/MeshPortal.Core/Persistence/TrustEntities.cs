namespace MeshPortal.Core.Persistence;

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

public enum CacertsDecision
{
    /// <summary>No decision needed, or not made yet: a cacerts MeshPortal did not write is left alone and reported.</summary>
    None,

    /// <summary>The admin chose to replace the foreign cacerts with the one MeshPortal issues.</summary>
    Replace,

    /// <summary>The admin chose to keep the existing cacerts; MeshPortal does not manage this cluster's cacerts.</summary>
    Adopt,
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
