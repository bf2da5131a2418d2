using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Tokens;

/// <summary>
/// A token check: the token and its owner when valid, else why not ("unknown", "revoked", "expired") for a clear 401.
/// <see cref="Roles"/>: the owner's roles, read by <see cref="ApiTokenStore.AuthenticateAsync"/> (empty from <see cref="ApiTokenStore.CheckAsync"/>).
/// </summary>
public sealed record ApiTokenCheck(ApiTokenView? Token, PortalUser? Owner, string? Refusal)
{
    public IReadOnlyList<string> Roles { get; init; } = [];
}

/// <summary>
/// Creates and validates personal API tokens. Returns read models (<see cref="ApiTokenView"/>), never the stored row.
/// A change a user made is saved together with its audit record (pass <c>who</c> and the event).
/// Requests authenticate through <see cref="AuthenticateAsync"/>, whose successful checks are kept for
/// <see cref="ApiTokenCache.Bound"/> (see <see cref="ApiTokenCache"/> for when a revocation takes effect).
/// </summary>
public sealed class ApiTokenStore(IDbContextFactory<MeshPortalDbContext> dbFactory, TimeProvider clock)
{
    private readonly ApiTokenCache cache = new(clock);

    /// <summary>
    /// The check an API request is authenticated by: <see cref="CheckAsync"/> plus the owner's roles, kept for at most
    /// <see cref="ApiTokenCache.Bound"/> when valid. A revocation, lock, password reset or role change made through this
    /// process takes effect at once (<see cref="ForgetCachedChecks"/>); one made elsewhere within the bound.
    /// </summary>
    public async Task<ApiTokenCheck> AuthenticateAsync(string token, CancellationToken ct = default)
    {
        var hash = ApiTokens.Hash(token);
        if (cache.TryGet(hash, out var kept))
        {
            return kept;
        }

        var generation = cache.Generation;
        var check = await CheckAsync(token, ct);
        if (check.Owner is { } owner)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var roles = await db.UserRoles.AsNoTracking().Where(r => r.UserId == owner.Id)
                .Join(db.Roles, r => r.RoleId, role => role.Id, (_, role) => role.Name!).ToListAsync(ct);
            check = check with { Roles = roles };
        }

        cache.Keep(hash, check, generation);
        return check;
    }

    /// <summary>Every kept check is dropped: call after a change to a token, or to its owner's lock or roles.</summary>
    public void ForgetCachedChecks() => cache.Forget();

    /// <summary>Creates a token; the returned plaintext is shown once and never stored.</summary>
    public Task<(string Token, ApiTokenView Details)> CreateAsync(
        string userId, string name, DateTimeOffset? expiresAt, bool readOnly, string? presetToken = null, CancellationToken ct = default) =>
        CreateAsync(userId, name, expiresAt, readOnly, presetToken, null, ct);

    /// <summary>Creates a token and, when <paramref name="audit"/> is given, its audit record in the same SaveChanges.</summary>
    internal async Task<(string Token, ApiTokenView Details)> CreateAsync(string userId, string name, DateTimeOffset? expiresAt, bool readOnly,
        string? presetToken, (AuditContext Who, Func<ApiTokenEntity, AuditEvent> What)? audit, CancellationToken ct)
    {
        var token = presetToken ?? ApiTokens.Generate();
        var entity = new ApiTokenEntity
        {
            UserId = userId,
            Name = name,
            Hash = ApiTokens.Hash(token),
            Prefix = ApiTokens.DisplayPrefix(token),
            ReadOnly = readOnly,
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiTokens.Add(entity);
        if (audit is { } a)
        {
            AuditLog.Stage(db, a.Who, a.What(entity), entity.CreatedAt);
        }

        await db.SaveChangesAsync(ct);
        return (token, ApiTokenView.From(entity));
    }

    /// <summary>
    /// Whether the token is valid (known, not revoked, not expired), read only: checking that the bootstrap token exists at
    /// every start is not a use of it, so its last use stays the last request that presented it.
    /// </summary>
    public async Task<bool> IsValidAsync(string token, CancellationToken ct = default)
    {
        var hash = ApiTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.ApiTokens.AsNoTracking().Where(t => t.Hash == hash).Select(t => new { t.RevokedAt, t.ExpiresAt }).SingleOrDefaultAsync(ct);
        return found is { RevokedAt: null } && (found.ExpiresAt is not { } exp || exp > clock.GetUtcNow());
    }

    /// <summary>The token and its owner when valid, else why not ("unknown", "revoked", "expired") for a clear 401.</summary>
    public async Task<ApiTokenCheck> CheckAsync(string token, CancellationToken ct = default)
    {
        var hash = ApiTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow();
        if (entity is null)
        {
            return new ApiTokenCheck(null, null, "The API token is unknown.");
        }

        if (entity.RevokedAt is { } revoked)
        {
            return new ApiTokenCheck(null, null, $"The API token '{entity.Name}' was revoked at {revoked.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
        }

        if (entity.ExpiresAt is { } exp && exp <= now)
        {
            return new ApiTokenCheck(null, null, $"The API token '{entity.Name}' expired at {exp.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
        }

        // Record use at most once a minute to keep writes off the hot path.
        if (entity.LastUsedAt is null || now - entity.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            entity.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        return new ApiTokenCheck(ApiTokenView.From(entity), entity.User, null);
    }

    /// <summary>Tokens of one user (or of everyone when <paramref name="userId"/> is null), newest first, with their owner.</summary>
    internal async Task<List<ApiTokenEntity>> ListAsync(string? userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.ApiTokens.AsNoTracking().Include(t => t.User).AsQueryable();
        if (userId is not null)
        {
            query = query.Where(t => t.UserId == userId);
        }

        return (await query.ToListAsync(ct)).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).ToList();
    }

    /// <summary>
    /// Revokes a token of <paramref name="ownerId"/> (any owner's when null, for admins), with its audit record in the same
    /// SaveChanges. Null when there is no such token.
    /// </summary>
    internal async Task<ApiTokenView?> RevokeAsync(int id, string? ownerId, AuditContext who, Func<ApiTokenEntity, AuditEvent> what, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.Id == id && (ownerId == null || t.UserId == ownerId), ct);
        if (entity is null)
        {
            return null;
        }

        entity.RevokedAt ??= clock.GetUtcNow();
        AuditLog.Stage(db, who, what(entity), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        cache.Forget();
        return ApiTokenView.From(entity);
    }

    /// <summary>Tokens of the user that still work (not revoked, not expired).</summary>
    public async Task<int> CountActiveAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var live = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId && t.RevokedAt == null).Select(t => t.ExpiresAt).ToListAsync(ct);
        return live.Count(e => e is null || e > now);
    }

    /// <summary>Revokes every token of the user that still works (a password reset); returns how many.</summary>
    public async Task<int> RevokeAllAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var live = await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(ct);
        foreach (var token in live)
        {
            token.RevokedAt = now;
        }

        await db.SaveChangesAsync(ct);
        cache.Forget();
        return live.Count;
    }

    public async Task<bool> AnyForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AnyAsync(t => t.UserId == userId, ct);
    }
}
