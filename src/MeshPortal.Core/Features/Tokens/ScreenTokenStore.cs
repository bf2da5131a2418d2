using System.Security.Cryptography;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Tokens;

/// <summary>
/// Creates, lists, revokes and checks wall-screen tokens (<c>mps_…</c>). Creation and revocation are saved together with
/// their audit records; callers get read models (<see cref="ScreenTokenView"/>), never the stored row.
/// </summary>
public sealed class ScreenTokenStore(IDbContextFactory<MeshPortalDbContext> dbFactory, TimeProvider clock)
{
    public const string Prefix = "mps_";

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task<(string? Token, ScreenTokenView? Details, string? Error)> CreateAsync(string? name, DateTimeOffset? expiresAt, AuditContext who, CancellationToken ct)
    {
        if (ApiTokenCommands.Validate(name, expiresAt, clock.GetUtcNow()) is { } error)
        {
            return (null, null, error);
        }

        var token = Generate();
        var entity = new ScreenTokenEntity
        {
            Name = name!.Trim(),
            Hash = ApiTokens.Hash(token),
            Prefix = token[..10],
            CreatedBy = who.Describe(),
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ScreenTokens.Add(entity);
        AuditLog.Stage(db, who, new AuditEvent("screen_token.created", "screen_token", entity.Name, $"Created screen token '{entity.Name}' ({entity.Prefix}…)",
            After: new { entity.Name, entity.Prefix, entity.ExpiresAt }), entity.CreatedAt);
        await db.SaveChangesAsync(ct);
        return (token, ScreenTokenView.From(entity), null);
    }

    public async Task<List<ScreenTokenView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.ScreenTokens.AsNoTracking().ToListAsync(ct)).OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Select(ScreenTokenView.From).ToList();
    }

    public async Task<bool> RevokeAsync(int id, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.ScreenTokens.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (entity is null)
        {
            return false;
        }

        entity.RevokedAt ??= clock.GetUtcNow();
        AuditLog.Stage(db, who, new AuditEvent("screen_token.revoked", "screen_token", entity.Name, $"Revoked screen token '{entity.Name}' ({entity.Prefix}…)"),
            clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The token when it is a valid screen token; records the time of use (at most once a minute).</summary>
    public async Task<ScreenTokenView?> ValidateAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = ApiTokens.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.ScreenTokens.SingleOrDefaultAsync(t => t.Hash == hash, ct);
        var now = clock.GetUtcNow();
        if (entity is null || !entity.IsValidAt(now))
        {
            return null;
        }

        if (entity.LastUsedAt is null || now - entity.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            entity.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
        }

        return ScreenTokenView.From(entity);
    }

    /// <summary>Whether the token with this id is still valid (the screen cookie and open screens re-check it).</summary>
    public async Task<bool> IsValidAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.ScreenTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        return entity is not null && entity.IsValidAt(clock.GetUtcNow());
    }
}
