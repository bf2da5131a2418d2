using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Core.Features.Trust;

/// <summary>State of a cluster's in-cluster <c>istio-system/cacerts</c>, as the last push recorded it.</summary>
public enum CacertsState
{
    /// <summary>No root yet, so nothing to push.</summary>
    NoRoot,

    /// <summary>Issued but not written yet (the push is queued or running).</summary>
    Pending,

    Synced,
    Failed,

    /// <summary>A cacerts MeshPortal did not write exists; the admin must adopt or replace it.</summary>
    ForeignNeedsDecision,

    /// <summary>The admin chose to keep the cluster's own cacerts.</summary>
    Adopted,

    /// <summary>External root: the cluster's CSR waits for the company CA's signature.</summary>
    AwaitingSignature,
}

public enum RotationPhase
{
    /// <summary>No rotation in progress.</summary>
    None,

    /// <summary>Phase 1 done: the next root is in every cluster's root-cert.pem beside the active one.</summary>
    NextRootDistributed,

    /// <summary>Phase 2 done: every intermediate is signed by the next root; both roots are still trusted.</summary>
    IntermediatesSwitched,
}

public sealed record TrustRootView(
    int Id, RootMode Mode, RootState State, string Subject, string KeyType, string FingerprintSha256,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, ExpiryStatus Expiry);

public sealed record ClusterTrustView(
    int ClusterId,
    string Cluster,
    string? IstioVersion,
    IntermediateState? IntermediateState,
    string? IntermediateIssuer,
    string? IntermediateSerial,
    DateTimeOffset? NotAfter,
    ExpiryStatus? Expiry,
    bool? ChainsToRoot,
    string? ChainProblem,
    CacertsState Cacerts,
    string? CacertsMessage,
    DateTimeOffset? LastSyncedAt,
    CacertsDecision Decision,
    bool NeedsIstiodRestart,
    TransitionPhase? Transition = null);

/// <summary>Everything the Trust page, the API and the overview show, observed at <see cref="ObservedAt"/>.</summary>
public sealed record TrustStatus(
    TrustRootView? Root,
    TrustRootView? NextRoot,
    RotationPhase Rotation,
    IReadOnlyList<ClusterTrustView> Clusters,
    DateTimeOffset ObservedAt)
{
    public bool HasRoot => Root is not null;

    /// <summary>Every certificate within a warning threshold, most urgent first: ("root" or the cluster name, status).</summary>
    public IReadOnlyList<(string Subject, ExpiryStatus Expiry)> ExpiryWarnings
    {
        get
        {
            var all = new List<(string Subject, ExpiryStatus Expiry)>();
            if (Root is not null)
            {
                all.Add(("Mesh root", Root.Expiry));
            }

            if (NextRoot is not null)
            {
                all.Add(("Next mesh root", NextRoot.Expiry));
            }

            all.AddRange(Clusters.Where(c => c.Expiry is not null).Select(c => ($"Intermediate CA of {c.Cluster}", c.Expiry!)));
            return all.Where(x => x.Expiry.NeedsAttention).OrderByDescending(x => x.Expiry.Severity).ThenBy(x => x.Expiry.DaysLeft).ToList();
        }
    }
}
