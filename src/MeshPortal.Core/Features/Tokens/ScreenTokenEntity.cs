using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Tokens;

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

internal sealed class ScreenTokenConfiguration : IEntityTypeConfiguration<ScreenTokenEntity>
{
    public void Configure(EntityTypeBuilder<ScreenTokenEntity> e)
    {
        e.ToTable("ScreenTokens");
        e.HasIndex(t => t.Hash).IsUnique();
        e.Property(t => t.Name).HasMaxLength(100);
        e.Property(t => t.CreatedBy).HasMaxLength(256);
    }
}
