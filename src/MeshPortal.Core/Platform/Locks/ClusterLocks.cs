using System.Collections.Concurrent;

namespace MeshPortal.Core.Platform.Locks;

/// <summary>
/// One push per cluster at a time. Within the process a semaphore per cluster; when several replicas share PostgreSQL, a
/// <see cref="IClusterLockStore"/> (a PostgreSQL advisory lock) is taken as well, so two replicas never push the same
/// cluster at once. Hangfire's DisableConcurrentExecution is not used: it is unreliable on the SQLite storage, and
/// Hangfire.PostgreSql's lock rows expire after a fixed time without a heartbeat, while an advisory lock lives exactly
/// as long as the holder's connection (a killed replica releases it at once).
/// </summary>
public sealed class ClusterLocks
{
    private readonly ConcurrentDictionary<int, SemaphoreSlim> locks = new();
    private readonly ConcurrentDictionary<int, long> generations = new();
    private readonly IClusterLockStore? shared;

    public ClusterLocks()
        : this(null)
    {
    }

    public ClusterLocks(IClusterLockStore? shared) => this.shared = shared;

    /// <summary>True when other processes take the same locks (then in-process generations do not see their pushes).</summary>
    public bool SpansProcesses => shared is not null;

    public async Task<IAsyncDisposable> AcquireAsync(int clusterId, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(clusterId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        IAsyncDisposable? held = null;
        try
        {
            if (shared is not null)
            {
                held = await shared.AcquireAsync(ClusterLockScope.Push, clusterId, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            gate.Release();
            throw;
        }

        generations.AddOrUpdate(clusterId, 1, (_, g) => g + 1);
        return new Releaser(gate, held);
    }

    /// <summary>How many times the cluster's lock was taken in this process: a batch compares it to see whether another push ran in between.</summary>
    public long Generation(int clusterId) => generations.GetValueOrDefault(clusterId);

    private sealed class Releaser(SemaphoreSlim gate, IAsyncDisposable? held) : IAsyncDisposable
    {
        private int released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) != 0)
            {
                return;
            }

            try
            {
                if (held is not null)
                {
                    await held.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }
}

/// <summary>What a cross-process lock protects; the same id in two scopes is two locks.</summary>
public enum ClusterLockScope
{
    Push = 1,
    Check = 2,
    Probe = 3,

    /// <summary>Issuing intermediates and creating the root (ids 0 and 1: mesh-wide, not per cluster).</summary>
    Trust = 4,

    /// <summary>Alert evaluation (id 0: mesh-wide), so two replicas never evaluate and notify at once.</summary>
    Alerts = 5,
}

/// <summary>Locks shared by every replica (PostgreSQL advisory locks); not registered on the single-process SQLite default.</summary>
public interface IClusterLockStore
{
    /// <summary>Waits for the lock; released when the result is disposed (or when this process dies).</summary>
    Task<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, int id, CancellationToken ct);

    /// <summary>Takes the lock if nobody holds it; null when another holder has it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(ClusterLockScope scope, int id, CancellationToken ct);
}

/// <summary>
/// For jobs where "already running" means "skip" (a connection check, a probe cycle from one cluster): the next cycle is
/// the retry. In this process a per-(scope, cluster) semaphore; across replicas the shared lock store when there is one.
/// </summary>
public sealed class ClusterJobGate(IClusterLockStore? shared = null)
{
    private readonly ConcurrentDictionary<(ClusterLockScope, int), SemaphoreSlim> local = new();

    /// <summary>A handle to dispose when done, or null when the same job for the same cluster runs already (here or elsewhere).</summary>
    public async Task<IAsyncDisposable?> TryEnterAsync(ClusterLockScope scope, int id, CancellationToken ct)
    {
        var gate = local.GetOrAdd((scope, id), _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, ct).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            IAsyncDisposable? held = null;
            if (shared is not null && (held = await shared.TryAcquireAsync(scope, id, ct).ConfigureAwait(false)) is null)
            {
                gate.Release();
                return null;
            }

            return new Releaser(gate, held);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>A stable 32-bit key for a cluster known by name (FNV-1a), for jobs that carry names.</summary>
    public static int KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }

    private sealed class Releaser(SemaphoreSlim gate, IAsyncDisposable? held) : IAsyncDisposable
    {
        private int released;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref released, 1) != 0)
            {
                return;
            }

            try
            {
                if (held is not null)
                {
                    await held.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
