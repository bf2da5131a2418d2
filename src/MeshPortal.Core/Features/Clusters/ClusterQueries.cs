namespace MeshPortal.Core.Features.Clusters;

/// <summary>Registered clusters as read models for the cluster list, the cluster page and <c>/api/v1/clusters</c>.</summary>
public sealed class ClusterQueries(ClusterService clusters)
{
    /// <summary>Every cluster, by name.</summary>
    public async Task<List<ClusterView>> ListAsync(CancellationToken ct) => [.. (await clusters.ListAsync(ct)).Select(ClusterView.From)];

    /// <summary>Every cluster with its latest check run.</summary>
    public async Task<List<ClusterView>> ListWithLatestCheckAsync(CancellationToken ct) => [.. (await clusters.ListWithLatestCheckAsync(ct)).Select(ClusterView.From)];

    /// <summary>One cluster with its latest <paramref name="historyDepth"/> check runs; null when none has that name.</summary>
    public async Task<ClusterView?> GetAsync(string name, int historyDepth, CancellationToken ct) =>
        await clusters.GetAsync(name, historyDepth, ct) is { } cluster ? ClusterView.From(cluster) : null;
}
