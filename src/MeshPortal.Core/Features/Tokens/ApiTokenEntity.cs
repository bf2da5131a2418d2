using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Tokens;

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

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiTokenEntity>
{
    public void Configure(EntityTypeBuilder<ApiTokenEntity> e)
    {
        e.ToTable("ApiTokens");
        e.HasIndex(t => t.Hash).IsUnique();
        e.Property(t => t.Name).HasMaxLength(100);
        e.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
