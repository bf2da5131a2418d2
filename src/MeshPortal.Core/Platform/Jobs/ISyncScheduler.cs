namespace MeshPortal.Core.Platform.Jobs;

/// <summary>Asks for a push of the clusters whose desired state changed (enqueues one job per cluster).</summary>
public interface ISyncScheduler
{
    void RequestSync(IEnumerable<int> clusterIds, string trigger);
}
