using System.Collections.Concurrent;

namespace MeshPortal.Core.Reconciliation;

/// <summary>
/// One push per cluster at a time within this process (Hangfire's DisableConcurrentExecution is unreliable on the
/// SQLite storage; the SQLite default is single-process).
/// </summary>
public sealed class ClusterLocks
{
    private readonly ConcurrentDictionary<int, SemaphoreSlim> locks = new();
    private readonly ConcurrentDictionary<int, long> generations = new();

    public async Task<IDisposable> AcquireAsync(int clusterId, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(clusterId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        generations.AddOrUpdate(clusterId, 1, (_, g) => g + 1);
        return new Releaser(gate);
    }

    /// <summary>How many times the cluster's lock was taken: a batch compares it to see whether another push ran in between.</summary>
    public long Generation(int clusterId) => generations.GetValueOrDefault(clusterId);

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
