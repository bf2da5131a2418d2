using System.Collections.Concurrent;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// Coalesces change-triggered pushes: while a push of a cluster is queued and has not started, further requests for that
/// cluster add nothing (the queued push loads the desired state when it starts, so it already includes them). A push
/// releases its cluster as it starts, so a change saved during a push always gets a push of its own. A mark older than
/// <see cref="StaleAfter"/> no longer holds requests back, so a lost job cannot block a cluster's pushes.
/// The marks are <see cref="IPushMarks"/>: in this process on SQLite, in the database on PostgreSQL, where a push queued by
/// one replica may start on another (which releases the cluster for every replica).
/// </summary>
public sealed class PushCoalescer(TimeProvider clock, IPushMarks marks)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    // When each cluster's last push of this process finished (Stopwatch timestamp) and how long it took, for PushPacing.
    private readonly ConcurrentDictionary<int, (long Finished, TimeSpan Took)> pushed = new();

    /// <summary>The clusters of <paramref name="clusterIds"/> that need a push enqueued (none is waiting to start).</summary>
    public IReadOnlyList<int> TryQueue(IEnumerable<int> clusterIds)
    {
        var now = clock.GetUtcNow();
        return marks.Mark([.. clusterIds], now, now - StaleAfter);
    }

    /// <summary>Called by a push as it starts, before it loads anything.</summary>
    public Task StartedAsync(int clusterId, CancellationToken ct) => marks.ClearAsync(clusterId, ct);

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
