namespace MeshPortal.Core.Features.Clusters;

/// <summary>What a user submits to register a cluster.</summary>
/// <param name="PeerApiServer">the API server address other clusters' istiod dial (remote secrets); null: the kubeconfig's.</param>
public sealed record ClusterDraft(string Name, string Kubeconfig, string? Context, string? Network, string? Region, string? PeerApiServer = null);

/// <summary>A change to a registered cluster; a null kubeconfig keeps the stored one.</summary>
public sealed record ClusterUpdate(string? Kubeconfig, string? Context, string? Network, string? Region, string? PeerApiServer = null);

/// <summary>The outcome of a save: the cluster, or field errors (nothing was saved).</summary>
public sealed record ClusterSaveResult(
    ClusterView? Cluster,
    IReadOnlyDictionary<string, string[]> Errors,
    ConnectionCheckReport? Report)
{
    public bool Succeeded => Errors.Count == 0 && Cluster is not null;

    public static ClusterSaveResult Invalid(IReadOnlyDictionary<string, string[]> errors) => new(null, errors, null);

    public static ClusterSaveResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
