using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MeshPortal.Core.Features.Teams;

/// <summary>An app team: its members may manage the exports of the (cluster, namespace) pairs it is granted.</summary>
public sealed class TeamEntity
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<TeamMemberEntity> Members { get; set; } = [];
    public List<TeamGrantEntity> Grants { get; set; } = [];
}

public sealed class TeamMemberEntity
{
    public int TeamId { get; set; }
    public required string UserId { get; set; }
    public PortalUser? User { get; set; }
}

/// <summary>A namespace a team owns on one cluster, or on every cluster when <see cref="Cluster"/> is <c>*</c>.</summary>
public sealed class TeamGrantEntity
{
    public int Id { get; set; }
    public int TeamId { get; set; }

    /// <summary>A cluster name, or <c>*</c> for every cluster (also those registered later).</summary>
    public required string Cluster { get; set; }

    public required string Namespace { get; set; }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<TeamEntity>
{
    public void Configure(EntityTypeBuilder<TeamEntity> e)
    {
        e.ToTable("Teams");
        e.Property(t => t.Name).HasMaxLength(63);
        e.Property(t => t.Description).HasMaxLength(500);
        e.HasIndex(t => t.Name).IsUnique();
        e.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(t => t.Grants).WithOne().HasForeignKey(g => g.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMemberEntity>
{
    public void Configure(EntityTypeBuilder<TeamMemberEntity> e)
    {
        e.ToTable("TeamMembers");
        e.HasKey(m => new { m.TeamId, m.UserId });
        e.HasIndex(m => m.UserId);
        e.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TeamGrantConfiguration : IEntityTypeConfiguration<TeamGrantEntity>
{
    public void Configure(EntityTypeBuilder<TeamGrantEntity> e)
    {
        e.ToTable("TeamGrants");
        e.Property(g => g.Cluster).HasMaxLength(63);
        e.Property(g => g.Namespace).HasMaxLength(63);
        e.HasIndex(g => new { g.TeamId, g.Cluster, g.Namespace }).IsUnique();
    }
}
