using System.Collections.Concurrent;

namespace MeshPortal.Core.Features.Tokens;

/// <summary>
/// Successful API-token checks (the token, its owner and the owner's roles), kept for at most <see cref="Bound"/> and never
/// past the token's expiry, keyed by the token's hash, so a client sending many requests costs one token and role lookup
/// a second instead of one per request. Refusals are never kept.
/// <para>
/// Revocation: a change made through this process (revoking a token, a password reset, locking the owner, changing their
/// role, unlocking them) calls <see cref="Forget"/>, which empties the cache at once. A change made elsewhere (another replica, or SQL)
/// takes effect within <see cref="Bound"/>. A check that read the database before a <see cref="Forget"/> is not kept.
/// </para>
/// </summary>
public sealed class ApiTokenCache(TimeProvider clock)
{
    /// <summary>How long a successful check is trusted without reading the database again.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    /// <summary>More entries than this means many distinct valid tokens in one second: start again rather than grow.</summary>
    internal const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private long generation;

    /// <summary>Pass to <see cref="Keep"/>: read before the database, so a <see cref="Forget"/> in between drops the result.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public bool TryGet(string hash, out ApiTokenCheck check)
    {
        if (entries.TryGetValue(hash, out var entry) && entry.Generation == Generation && clock.GetUtcNow() < entry.Until)
        {
            check = entry.Check;
            return true;
        }

        check = null!;
        return false;
    }

    /// <summary>Keeps a successful check read at <paramref name="readGeneration"/>; refusals and stale reads are ignored.</summary>
    public void Keep(string hash, ApiTokenCheck check, long readGeneration)
    {
        if (check.Token is null || check.Owner is null || readGeneration != Generation)
        {
            return;
        }

        var until = clock.GetUtcNow() + Bound;
        if (check.Token.ExpiresAt is { } expires && expires < until)
        {
            until = expires;
        }

        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[hash] = new Entry(check, readGeneration, until);
    }

    /// <summary>Drops every kept check: a token was revoked, or an owner locked, unlocked, reset or given another role.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    private sealed record Entry(ApiTokenCheck Check, long Generation, DateTimeOffset Until);
}
