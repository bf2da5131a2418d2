using Hangfire;
using MeshPortal.Core.Platform.Jobs;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// Enqueues one <see cref="PushClusterJob"/> per distinct cluster id, unless a push of that cluster is already queued and
/// not yet started (<see cref="PushCoalescer"/>): several quick changes do not queue N pushes that all wait on the lock.
/// Manual requests ("Sync now") are always enqueued.
/// </summary>
public sealed class HangfireSyncScheduler(IBackgroundJobClient jobs, PushCoalescer coalescer) : ISyncScheduler
{
    public void RequestSync(IEnumerable<int> clusterIds, string trigger)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        var why = string.IsNullOrWhiteSpace(trigger) ? "change" : trigger;
        // "Sync now" is a person asking for a run they can see in the history: never folded into a queued push.
        var manual = why.StartsWith("manual", StringComparison.Ordinal);
        var ids = clusterIds.Distinct().ToList();
        foreach (var id in manual ? ids : coalescer.TryQueue(ids))
        {
            jobs.Enqueue<PushClusterJob>(j => j.RunAsync(id, why, CancellationToken.None));
        }
    }
}
