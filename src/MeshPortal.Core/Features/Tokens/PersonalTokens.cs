using MeshPortal.Core.Platform.Audit;

namespace MeshPortal.Core.Features.Tokens;

/// <summary>The outcome of creating a personal API token: its value (shown once) and details, or why not.</summary>
public sealed record PersonalTokenCreated(string? Token, ApiTokenView? Details, string? Error, bool Forbidden, bool Limit)
{
    public bool Succeeded => Token is not null;
}

/// <summary>
/// Personal API tokens and wall-screen tokens as the tokens pages and <c>/api/v1/tokens</c> see them: read models only,
/// over <see cref="ApiTokenCommands"/> (which audits) and the token stores.
/// </summary>
public sealed class PersonalTokens(ApiTokenCommands commands, ApiTokenStore apiTokens, ScreenTokenStore screenTokens)
{
    /// <summary>Tokens of one user (everyone's when <paramref name="userId"/> is null), newest first.</summary>
    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(string? userId, CancellationToken ct) =>
        [.. (await apiTokens.ListAsync(userId, ct)).Select(ApiTokenView.From)];

    /// <param name="callerReadOnly">True when the request itself came with a read-only token: it may not mint tokens.</param>
    public async Task<PersonalTokenCreated> CreateAsync(string userId, string? name, DateTimeOffset? expiresAt, bool readOnly, bool callerReadOnly, AuditContext who, CancellationToken ct)
    {
        var r = await commands.CreateAsync(userId, name, expiresAt, readOnly, callerReadOnly, who, ct);
        return new PersonalTokenCreated(r.Token, r.Details, r.Error, r.Forbidden, r.Limit);
    }

    /// <param name="ownerId">Only this user's tokens; null lets an admin revoke anyone's.</param>
    public Task<ApiTokenView?> RevokeAsync(int id, string? ownerId, AuditContext who, CancellationToken ct) =>
        commands.RevokeAsync(id, ownerId, who, ct);

    public async Task<IReadOnlyList<ScreenTokenView>> ScreenTokensAsync(CancellationToken ct) =>
        [.. await screenTokens.ListAsync(ct)];
}
