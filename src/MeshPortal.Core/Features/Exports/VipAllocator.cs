using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The VIP range has no free address left.</summary>
public sealed class VipRangeExhaustedException(VipRange range)
    : Exception($"The VIP range {range} is exhausted: all {range.Size} addresses are in use. Unexport services that are no longer needed, or configure a larger MeshPortal:Exports:VipRange.");

/// <summary>
/// Allocates one VIP per exported host from the configured range, lowest free address first. Uniqueness is the database's
/// unique index on <see cref="ExportEntity.Address"/>: two concurrent exports may pick the same address, the second insert
/// then fails and is retried with the next free one. Deleting the export frees its address (it is simply no longer taken).
/// </summary>
public sealed class VipAllocator(IOptions<ExportOptions> options)
{
    public VipRange Range { get; } = VipRange.Parse(options.Value.VipRange);

    // Addresses handed to inserts of this process that have not finished: concurrent creates here pick different addresses
    // instead of all colliding on the lowest free one and retrying in turn (a burst of N creates cost O(N²) reads).
    private readonly HashSet<uint> reserved = [];

    /// <summary>The lowest address of the range that no export holds, or null when the range is exhausted.</summary>
    public async Task<string?> NextFreeAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var next = Range.LowestFree(await TakenAsync(db, ct));
        return next is { } a ? VipRange.Format(a) : null;
    }

    private static async Task<IEnumerable<uint>> TakenAsync(MeshPortalDbContext db, CancellationToken ct) =>
        (await db.Exports.AsNoTracking().Select(e => e.Address).ToListAsync(ct)).Select(VipRange.TryToUInt).OfType<uint>();

    /// <summary>The lowest free address that no other insert of this process holds, reserved until <see cref="Release"/>.</summary>
    private async Task<uint?> ReserveAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var taken = await TakenAsync(db, ct);
        lock (reserved)
        {
            var next = Range.LowestFree(taken.Concat(reserved));
            if (next is { } a)
            {
                reserved.Add(a);
            }

            return next;
        }
    }

    private void Release(uint address)
    {
        lock (reserved)
        {
            reserved.Remove(address);
        }
    }

    /// <summary>
    /// Inserts the export built by <paramref name="build"/> for a free address, retrying with the next address when a
    /// concurrent insert took it first. Other unique violations (a duplicate host or service) are rethrown.
    /// </summary>
    /// <exception cref="VipRangeExhaustedException">No address is left.</exception>
    public async Task<ExportEntity> InsertAsync(IDbContextFactory<MeshPortalDbContext> dbs, Func<string, ExportEntity> build, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var reservation = await ReserveAsync(db, ct);
            if (reservation is not { } held)
            {
                // Full, unless addresses held by inserts still running here come free: only then is the range really exhausted.
                if (await NextFreeAsync(db, ct) is null)
                {
                    throw new VipRangeExhaustedException(Range);
                }

                await Task.Delay(10, ct);
                continue;
            }

            var address = VipRange.Format(held);
            var export = build(address);
            db.Exports.Add(export);
            try
            {
                await db.SaveChangesAsync(ct);
                Release(held);
                return export;
            }
            catch (DbUpdateException) when (attempt <= Range.Size)
            {
                // Someone else may have got this address between our read and our insert: then try the next one. Every
                // such collision means another export got an address, so retrying until the range is full always ends
                // and never reports a false conflict (a fixed number of attempts did under bursts of concurrent creates).
                Release(held);
                if (!await AddressTakenAsync(dbs, address, ct))
                {
                    throw;
                }
            }
            catch
            {
                Release(held);
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
