using MeshPortal.Core.Platform.Audit;

namespace MeshPortal.Core.Features.Tokens;

public sealed record TokenCreated(string? Token, ApiTokenView? Details, string? Error, bool Forbidden = false, bool Limit = false)
{
    public bool Succeeded => Token is not null;
}

/// <summary>
/// Creates and revokes personal API tokens for the API tokens page and <c>/api/v1/tokens</c>, with their audit records
/// (the name, expiry and read-only flag; never the token value). A read-only caller cannot mint tokens.
/// </summary>
public sealed class ApiTokenCommands(ApiTokenStore store, IAuditLog audit, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxLifetimeDays = 366;

    /// <summary>A personal token created without an expiry lives this long (none lives forever).</summary>
    public const int DefaultLifetimeDays = 90;

    /// <summary>Active (not expired, not revoked) personal tokens one user may hold.</summary>
    public const int MaxActivePerUser = 50;

    public static string? Validate(string? name, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Give the token a name, e.g. the CI pipeline that uses it.";
        }

        if (name.Trim().Length > MaxNameLength)
        {
            return $"The name is longer than {MaxNameLength} characters.";
        }

        if (expiresAt is { } e && e <= now)
        {
            return "The expiry must be in the future.";
        }

        return expiresAt is { } x && x > now.AddDays(MaxLifetimeDays) ? $"A token may live at most {MaxLifetimeDays} days." : null;
    }

    /// <param name="callerReadOnly">True when the request itself came with a read-only token: it may not mint tokens.</param>
    public async Task<TokenCreated> CreateAsync(string userId, string? name, DateTimeOffset? expiresAt, bool readOnly, bool callerReadOnly, AuditContext who, CancellationToken ct)
    {
        if (callerReadOnly)
        {
            // A refused attempt changes nothing, so its record is saved on its own.
            await audit.RecordAsync(who, new AuditEvent("token.created", "token", name?.Trim(), "A read-only token tried to create a token",
                Outcome: AuditOutcomes.Denied), CancellationToken.None);
            return new TokenCreated(null, null, "A read-only API token cannot create tokens.", Forbidden: true);
        }

        var now = clock.GetUtcNow();
        expiresAt ??= now.AddDays(DefaultLifetimeDays);
        if (Validate(name, expiresAt, now) is { } error)
        {
            return new TokenCreated(null, null, error);
        }

        if (await store.CountActiveAsync(userId, ct) >= MaxActivePerUser)
        {
            return new TokenCreated(null, null,
                $"You already have {MaxActivePerUser} active API tokens, the most one user may hold. Revoke tokens you no longer use, then create this one.", Limit: true);
        }

        var (token, details) = await store.CreateAsync(userId, name!.Trim(), expiresAt, readOnly, null, (who, entity => new AuditEvent("token.created", "token", entity.Name,
            $"Created API token '{entity.Name}' ({entity.Prefix}…){(readOnly ? ", read-only" : "")}",
            After: new { entity.Name, entity.Prefix, entity.ReadOnly, entity.ExpiresAt })), ct);
        return new TokenCreated(token, details, null);
    }

    /// <param name="ownerId">Only this user's tokens; null lets an admin revoke anyone's.</param>
    public Task<ApiTokenView?> RevokeAsync(int id, string? ownerId, AuditContext who, CancellationToken ct) =>
        store.RevokeAsync(id, ownerId, who, entity => new AuditEvent("token.revoked", "token", entity.Name,
            $"Revoked API token '{entity.Name}' ({entity.Prefix}…) of {entity.User?.UserName ?? entity.UserId}"), ct);
}
