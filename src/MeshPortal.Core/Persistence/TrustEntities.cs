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
