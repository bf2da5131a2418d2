namespace MeshPortal.Core.Features.Clusters;

/// <summary>Work that follows the recurring check of one cluster (e.g. recording what its istiod says of its remote clusters).</summary>
public interface IAfterClusterCheck
{
    Task AfterCheckAsync(string clusterName, CancellationToken ct);
}
