namespace MeshPortal.Core.Persistence;

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
