using System.Collections.Concurrent;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// Coalesces change-triggered pushes: while a push of a cluster is queued and has not started, further requests for that
/// cluster add nothing (the queued push loads the desired state when it starts, so it already includes them). A push
/// releases its cluster as it starts, so a change saved during a push always gets a push of its own. An entry older than
/// <see cref="StaleAfter"/> no longer holds requests back, so a lost job cannot block a cluster's pushes.
/// With several replicas (<paramref name="perProcess"/> false) a push queued by one replica may start on another, which
/// cannot release this replica's entry, so a later change would wait for <see cref="StaleAfter"/>: then every request is
/// enqueued (pushes are idempotent and serialized per cluster, so the cost is extra no-op pushes during bursts, never a lost one).
/// </summary>
public sealed class PushCoalescer(TimeProvider clock, bool perProcess = true)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<int, DateTimeOffset> queued = new();

    // When each cluster's last push of this process finished (Stopwatch timestamp) and how long it took, for PushPacing.
    private readonly ConcurrentDictionary<int, (long Finished, TimeSpan Took)> pushed = new();

    /// <summary>True when a push must be enqueued for the cluster; false when one is already waiting to start.</summary>
    public bool TryQueue(int clusterId)
    {
        if (!perProcess)
        {
            return true;
        }

        var now = clock.GetUtcNow();
        while (true)
        {
            if (queued.TryAdd(clusterId, now))
            {
                return true;
            }

            if (!queued.TryGetValue(clusterId, out var since))
            {
                continue; // released meanwhile: try again
            }

            if (now - since < StaleAfter)
            {
                return false;
            }

            if (queued.TryUpdate(clusterId, now, since))
            {
                return true;
            }
        }
    }

    /// <summary>Called by a push as it starts, before it loads anything.</summary>
    public void Started(int clusterId) => queued.TryRemove(clusterId, out _);

    /// <summary>Called by a push when it is done, with how long it took.</summary>
    public void Finished(int clusterId, TimeSpan took) => pushed[clusterId] = (System.Diagnostics.Stopwatch.GetTimestamp(), took);

    /// <summary>
    /// Waits as <see cref="PushPacing"/> says before a change-triggered push starts (still queued meanwhile, so changes saved
    /// during the wait fold into it). Real time, not <c>clock</c>: this paces work, it is no business time.
    /// </summary>
    public async Task PaceAsync(int clusterId, CancellationToken ct)
    {
        if (pushed.TryGetValue(clusterId, out var last)
            && PushPacing.Wait(System.Diagnostics.Stopwatch.GetElapsedTime(last.Finished), last.Took) is var wait && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }
}
