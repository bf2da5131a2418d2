using Hangfire;

namespace MeshPortal.Core.Reconciliation;

/// <summary>Enqueues one <see cref="PushClusterJob"/> per distinct cluster id.</summary>
public sealed class HangfireSyncScheduler(IBackgroundJobClient jobs) : ISyncScheduler
{
    public void RequestSync(IEnumerable<int> clusterIds, string trigger)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        var why = string.IsNullOrWhiteSpace(trigger) ? "change" : trigger;
        foreach (var id in clusterIds.Distinct())
        {
            jobs.Enqueue<PushClusterJob>(j => j.RunAsync(id, why, CancellationToken.None));
        }
    }
}
