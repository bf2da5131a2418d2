namespace MeshPortal.Core.Features.Tokens;

/// <summary>A personal API token as the tokens page and <c>/api/v1/tokens</c> show it: never its value or hash.</summary>
public sealed record ApiTokenView(int Id, string Name, string Prefix, string UserId, string Owner, bool ReadOnly, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiTokenView From(ApiTokenEntity t) => new(t.Id, t.Name, t.Prefix, t.UserId, t.User?.UserName ?? t.UserId, t.ReadOnly,
        t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}

/// <summary>A wall-screen token as the screen tokens page shows it: never its value or hash.</summary>
public sealed record ScreenTokenView(int Id, string Name, string Prefix, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ScreenTokenView From(ScreenTokenEntity t) => new(t.Id, t.Name, t.Prefix, t.CreatedBy, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}
