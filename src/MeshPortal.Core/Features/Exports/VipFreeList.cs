namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// What this process believes about the addresses of a <see cref="VipRange"/>: the exports it has seen (id → address, from
/// the database or its own inserts) and the addresses handed to inserts still running. Pure and not thread-safe (the
/// <see cref="VipAllocator"/> holds a lock around it). Only a hint: the database's unique index decides, so a stale belief
/// costs one retried insert (another replica took the address) or a higher address than needed (one was freed), never a
/// duplicate; <see cref="VipAllocator"/> reloads it when the database's row count says an export it knows was deleted.
/// </summary>
public sealed class VipFreeList(VipRange range)
{
    private readonly Dictionary<int, uint?> rows = [];
    private readonly HashSet<uint> taken = [];
    private readonly HashSet<uint> reserved = [];

    /// <summary>Whether <see cref="Reset"/> has run (nothing is known before the first load).</summary>
    public bool Loaded { get; private set; }

    /// <summary>The highest export id seen: rows above it were inserted by someone else since.</summary>
    public int MaxId { get; private set; }

    /// <summary>How many exports are known; when the database holds a different number, some were deleted and the list is stale.</summary>
    public int Known => rows.Count;

    /// <summary>Addresses held by inserts of this process that have not finished.</summary>
    public int Reserved => reserved.Count;

    /// <summary>
    /// Forgets what was known and takes the database's exports (id, address) instead; reservations stay. Exports known here
    /// with a higher id than any the read returned stay too: they were saved after the read began (an insert of this process
    /// that finished meanwhile), and forgetting them handed their address out again (a UNIQUE failure and a retry in a burst).
    /// </summary>
    public void Reset(IEnumerable<(int Id, string Address)> exports)
    {
        ArgumentNullException.ThrowIfNull(exports);
        var read = exports.ToList();
        var readUpTo = read.Count == 0 ? 0 : read.Max(e => e.Id);
        var newer = rows.Where(r => r.Key > readUpTo).ToList();
        rows.Clear();
        taken.Clear();
        MaxId = 0;
        Loaded = true;
        Add(read);
        foreach (var (id, address) in newer)
        {
            rows[id] = address;
            if (address is { } held)
            {
                taken.Add(held);
            }

            MaxId = Math.Max(MaxId, id);
        }
    }

    /// <summary>Marks what is known as stale: the next allocation reads every address again (reservations stay).</summary>
    public void Invalidate() => Loaded = false;

    /// <summary>Exports known to exist (inserted here, or read as new from the database).</summary>
    public void Add(IEnumerable<(int Id, string Address)> exports)
    {
        ArgumentNullException.ThrowIfNull(exports);
        foreach (var (id, address) in exports)
        {
            var a = VipRange.TryToUInt(address);
            if (rows.TryGetValue(id, out var before) && before is { } old && old != a)
            {
                taken.Remove(old);
            }

            rows[id] = a; // counted even when unreadable, so the count matches the database's
            if (a is { } held)
            {
                taken.Add(held);
            }

            MaxId = Math.Max(MaxId, id);
        }
    }

    /// <summary>
    /// One of the <paramref name="spread"/> lowest addresses of the range neither known taken nor reserved (the lowest when
    /// <paramref name="spread"/> is 1), picked by <paramref name="pick"/> (given how many there are, returns an index), now
    /// reserved; null when there is none. Several replicas each taking the lowest would all pick the same address and all
    /// but one retry; spread over the lowest few, they rarely meet.
    /// </summary>
    public uint? Reserve(int spread = 1, Func<int, int>? pick = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spread, 1);
        var candidates = new List<uint>(Math.Min(spread, 256));
        for (var a = (long)range.First; a <= range.Last && candidates.Count < spread; a++)
        {
            var address = (uint)a;
            if (!taken.Contains(address) && !reserved.Contains(address))
            {
                candidates.Add(address);
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var chosen = candidates[candidates.Count == 1 || pick is null ? 0 : Math.Clamp(pick(candidates.Count), 0, candidates.Count - 1)];
        reserved.Add(chosen);
        return chosen;
    }

    /// <summary>The lowest address neither known taken nor reserved, without reserving it (what a preview shows).</summary>
    public uint? LowestFree()
    {
        for (var a = (long)range.First; a <= range.Last; a++)
        {
            if (!taken.Contains((uint)a) && !reserved.Contains((uint)a))
            {
                return (uint)a;
            }
        }

        return null;
    }

    /// <summary>The insert holding <paramref name="address"/> finished (saved as export <paramref name="id"/>, or null when it failed).</summary>
    public void Release(uint address, int? id)
    {
        reserved.Remove(address);
        if (id is { } saved)
        {
            Add([(saved, VipRange.Format(address))]);
        }
    }
}
