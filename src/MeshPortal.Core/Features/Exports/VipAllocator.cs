using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using MeshPortal.Core.Platform.Configuration;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The VIP range has no free address left.</summary>
public sealed class VipRangeExhaustedException(VipRange range)
    : Exception($"The VIP range {range} is exhausted: all {range.Size} addresses are in use. Unexport services that are no longer needed, or configure a larger MeshPortal:Exports:VipRange.");

/// <summary>
/// Allocates one VIP per exported host from the configured range, lowest free address first (with replicas, one of the
/// lowest few, see <see cref="Spread"/>). Uniqueness is the database's
/// unique index on <see cref="ExportEntity.Address"/>: two concurrent exports (e.g. on two replicas) may pick the same
/// address, the second insert then fails and is retried with the next free one. Deleting the export frees its address
/// (it is simply no longer taken).
/// The addresses in use are kept in memory (<see cref="VipFreeList"/>, loaded once): each allocation reads only the exports
/// inserted since (by id) and the row count, and reloads all addresses only when the count shows a delete. Concurrent
/// creates of this process reserve different addresses, so a burst neither re-reads every address per create nor retries.
/// </summary>
public sealed class VipAllocator(IOptions<ExportOptions> options, IOptions<MeshPortalOptions>? portal = null)
{
    public VipRange Range { get; } = VipRange.Parse(options.Value.VipRange);

    /// <summary>
    /// How many of the lowest free addresses an insert picks from at random: the lowest with one process, which reserves
    /// different addresses for its own concurrent inserts; with replicas, 64 per replica, because each replica took the same
    /// lowest address as the others (2,273 UNIQUE failures and retries in 4,000 creates on two replicas, p99 1.3 s).
    /// </summary>
    internal int Spread { get; } = portal?.Value.Replicas is > 1 and var replicas ? 64 * replicas : 1;

    private readonly Lock gate = new();
    private VipFreeList? free;
    private readonly SemaphoreSlim loading = new(1, 1);

    /// <summary>How many times every address was read (only under <see cref="gate"/>).</summary>
    private int resets;

    /// <summary>Only under <see cref="gate"/>.</summary>
    private VipFreeList Free => free ??= new VipFreeList(Range);

    /// <summary>How many reservations were released, and the signal of the next release (only under <see cref="gate"/>).</summary>
    private long releases;
    private TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int waiting;

    /// <summary>Inserts waiting for an address held by another insert in flight, the range being full otherwise.</summary>
    internal int Waiting => Volatile.Read(ref waiting);

    /// <summary>The lowest address of the range that no export holds, or null when the range is exhausted.</summary>
    public async Task<string?> NextFreeAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        await RefreshAsync(db, ct);
        lock (gate)
        {
            return Free.LowestFree() is { } a ? VipRange.Format(a) : null;
        }
    }

    /// <summary>
    /// Brings the free list up to date with the database: the exports inserted since the highest id it knows, then, when the
    /// row count keeps disagreeing with what is known (a delete, here or on another replica), every address again. During a
    /// burst the count disagrees for a moment (creates commit between the two reads), so a disagreement is read again first.
    /// Reading every address is done by one caller at a time, and skipped by those who waited while another caller did it.
    /// </summary>
    private async Task RefreshAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        int resetsSeen;
        for (var round = 0; ; round++)
        {
            int since;
            lock (gate)
            {
                since = Free.Loaded ? Free.MaxId : -1;
                resetsSeen = resets;
            }

            if (since < 0 || round == 3)
            {
                break;
            }

            var added = await db.Exports.AsNoTracking().Where(e => e.Id > since).Select(e => new { e.Id, e.Address }).ToListAsync(ct);
            var count = await db.Exports.CountAsync(ct);
            lock (gate)
            {
                Free.Add(added.Select(e => (e.Id, e.Address)));
                if (Free.Known == count)
                {
                    return;
                }
            }

            // A mismatch is either a create committed between (or after) the two reads, known here as soon as its insert
            // returns, or a delete. A create's mismatch is gone on the next read; a delete's stays, and after three reads
            // every address is read again.
        }

        await loading.WaitAsync(ct);
        try
        {
            lock (gate)
            {
                if (resets != resetsSeen && Free.Loaded)
                {
                    return; // another caller read every address while this one waited
                }
            }

            var all = await db.Exports.AsNoTracking().Select(e => new { e.Id, e.Address }).ToListAsync(ct);
            lock (gate)
            {
                Free.Reset(all.Select(e => (e.Id, e.Address)));
                resets++;
            }
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary>The lowest free address that no other insert of this process holds, reserved until released.</summary>
    private async Task<uint?> ReserveAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        await RefreshAsync(db, ct);
        lock (gate)
        {
            return Free.Reserve(Spread, Random.Shared.Next);
        }
    }

    private void Release(uint address, int? savedAs)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            Free.Release(address, savedAs);
            releases++;
            signal = released;
            released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult(); // an insert that found the range full while this address was held looks again
    }

    /// <summary>Makes the next allocation read every address again (after a collision with another writer, or before saying "exhausted").</summary>
    private void Invalidate()
    {
        lock (gate)
        {
            Free.Invalidate();
        }
    }

    /// <summary>
    /// Inserts the export built by <paramref name="build"/> for a free address, retrying with the next address when a
    /// concurrent insert took it first. Other unique violations (a duplicate host or service) are rethrown.
    /// <paramref name="stage"/> adds what must be saved with the export in the same SaveChanges (its audit record); it is
    /// called again with the new context when the insert is retried.
    /// </summary>
    /// <exception cref="VipRangeExhaustedException">No address is left.</exception>
    public async Task<ExportEntity> InsertAsync(IDbContextFactory<MeshPortalDbContext> dbs, Func<string, ExportEntity> build, CancellationToken ct,
        Action<MeshPortalDbContext, ExportEntity>? stage = null)
    {
        ArgumentNullException.ThrowIfNull(dbs);
        ArgumentNullException.ThrowIfNull(build);
        for (var attempt = 1; ; attempt++)
        {
            long seen;
            lock (gate)
            {
                seen = releases;
            }

            await using var db = await dbs.CreateDbContextAsync(ct);
            var reservation = await ReserveAsync(db, ct);
            if (reservation is null)
            {
                // Before saying "full", read every address again: what is known may miss a delete.
                Invalidate();
                reservation = await ReserveAsync(db, ct);
            }

            if (reservation is not { } held)
            {
                // Full, unless addresses held by inserts still running here come free: only then is the range really exhausted.
                Task next;
                lock (gate)
                {
                    if (releases != seen)
                    {
                        continue; // one came free (or was saved) while this one looked: look again now
                    }

                    if (Free.Reserved == 0)
                    {
                        throw new VipRangeExhaustedException(Range);
                    }

                    next = released.Task;
                }

                Interlocked.Increment(ref waiting);
                try
                {
                    await next.WaitAsync(ct);
                }
                finally
                {
                    Interlocked.Decrement(ref waiting);
                }

                continue;
            }

            var address = VipRange.Format(held);
            try
            {
                // Inside the try: a build or stage that throws releases the address too (it was held for good, and an insert
                // that found the range full waited for it).
                var export = build(address);
                db.Exports.Add(export);
                stage?.Invoke(db, export);
                await db.SaveChangesAsync(ct);
                Release(held, export.Id);
                return export;
            }
            catch (DbUpdateException) when (attempt <= Range.Size)
            {
                // Someone else (another replica, or a writer that bypasses this allocator) may have got this address between
                // our read and our insert: then try the next one. Every such collision means another export got an address, so
                // retrying until the range is full always ends and never reports a false conflict.
                Release(held, null);
                if (!await AddressTakenAsync(dbs, address, ct))
                {
                    throw;
                }

                Invalidate();
            }
            catch
            {
                Release(held, null);
                throw;
            }
        }
    }

    private static async Task<bool> AddressTakenAsync(IDbContextFactory<MeshPortalDbContext> dbs, string address, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Exports.AnyAsync(e => e.Address == address, ct);
    }
}
