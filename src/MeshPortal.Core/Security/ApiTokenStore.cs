using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Security;

/// <summary>Creates and validates personal API tokens.</summary>
public sealed class ApiTokenStore(IDbContextFactory<MeshPortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Creates a token; the returned plaintext is shown once and never stored.</summary>
    public async Task<(string Token, ApiTokenEntity Entity)> CreateAsync(
        string userId, string name, DateTimeOffset? expiresAt, bool readOnly, string? presetToken = null, CancellationToken ct = default)
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
        await db.SaveChangesAsync(ct);
        return (token, entity);
    }

    /// <summary>The token's record when it is valid (not expired, not revoked); records the time of use.</summary>
    public async Task<ApiTokenEntity?> ValidateAsync(string token, CancellationToken ct = default)
    {
        var hash = ApiTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow();
        if (entity is null || entity.RevokedAt is not null || (entity.ExpiresAt is { } exp && exp <= now))
        {
            return null;
        }

        // Record use at most once a minute to keep writes off the hot path.
        if (entity.LastUsedAt is null || now - entity.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            entity.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        return entity;
    }

    public async Task<bool> AnyForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AnyAsync(t => t.UserId == userId, ct);
    }
}
