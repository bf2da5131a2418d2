namespace MeshPortal.Core.Persistence;

/// <summary>A personal API token. Only a SHA-256 hash of the secret is stored.</summary>
public sealed class ApiTokenEntity
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public PortalUser? User { get; set; }
    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the full token.</summary>
    public required string Hash { get; set; }

    /// <summary>The first characters of the token, to recognise it in lists.</summary>
    public required string Prefix { get; set; }

    public bool ReadOnly { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
