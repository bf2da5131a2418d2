namespace MeshPortal.Core.Persistence;

/// <summary>
/// A read-only token for the wall screen: it opens <c>/screen</c> and its live updates, nothing else. Kept apart from
/// personal API tokens so that it can never act as a user. Only a SHA-256 hash of the secret is stored.
/// </summary>
public sealed class ScreenTokenEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Hash { get; set; }
    public required string Prefix { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } e || e > now);
}
