using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshPortal.Core.Platform.Locks;

/// <summary>
/// The portal's one lock API. A lock is a (<see cref="ClusterLockScope"/>, id) pair: within the process a semaphore per
/// pair; when several replicas share PostgreSQL, an <see cref="IClusterLockStore"/> (a PostgreSQL advisory lock) is taken
/// as well, so two replicas never push the same cluster, issue intermediates or evaluate alerts at once. Two ways in:
/// <see cref="AcquireAsync(ClusterLockScope, int, CancellationToken)"/> waits (a push, issuing), <see cref="TryEnterAsync"/>
/// skips when the lock is held (a connection check or probe cycle: the next cycle is the retry). Hangfire's
/// DisableConcurrentExecution is not used: it is unreliable on the SQLite storage, and Hangfire.PostgreSql's lock rows
/// expire after a fixed time without a heartbeat, while an advisory lock lives exactly as long as the holder's connection
/// (a killed replica releases it at once). See docs/decisions/0001.
/// </summary>
public sealed class ClusterLocks(IClusterLockStore? shared = null)
{
    private readonly ConcurrentDictionary<(ClusterLockScope, int), SemaphoreSlim> local = new();
    private readonly ConcurrentDictionary<int, long> generations = new();

    /// <summary>True when other processes take the same locks (then in-process generations do not see their pushes).</summary>
    public bool SpansProcesses => shared is not null;

    /// <summary>The push lock of one cluster (waits), counted in <see cref="Generation"/>.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(int clusterId, CancellationToken ct)
    {
        var held = await AcquireAsync(ClusterLockScope.Push, clusterId, ct).ConfigureAwait(false);
        generations.AddOrUpdate(clusterId, 1, (_, g) => g + 1);
        return held;
    }

    /// <summary>Waits for the lock; released when the result is disposed.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, int id, CancellationToken ct)
    {
        var gate = local.GetOrAdd((scope, id), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var held = shared is null ? null : await shared.AcquireAsync(scope, id, ct).ConfigureAwait(false);
            return new Releaser(gate, held);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>A handle to dispose when done, or null when the lock is held already (here or in another replica).</summary>
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

    /// <summary>How many times the cluster's push lock was taken in this process: a batch compares it to see whether another push ran in between.</summary>
    public long Generation(int clusterId) => generations.GetValueOrDefault(clusterId);

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

    /// <summary>Turning the canary on or off and keeping its exports (id 0: mesh-wide).</summary>
    Canary = 6,
}

/// <summary>Locks shared by every replica (PostgreSQL advisory locks); not registered on the single-process SQLite default.</summary>
public interface IClusterLockStore
{
    /// <summary>Waits for the lock; released when the result is disposed (or when this process dies).</summary>
    Task<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, int id, CancellationToken ct);

    /// <summary>Takes the lock if nobody holds it; null when another holder has it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(ClusterLockScope scope, int id, CancellationToken ct);
}

public static class ClusterLocksServiceCollectionExtensions
{
    /// <summary>The one <see cref="ClusterLocks"/>, spanning replicas when an <see cref="IClusterLockStore"/> is registered.</summary>
    public static IServiceCollection AddClusterLocks(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new ClusterLocks(sp.GetService<IClusterLockStore>()));
        return services;
    }
}
