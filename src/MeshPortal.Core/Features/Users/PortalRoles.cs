namespace MeshPortal.Core.Features.Users;

/// <summary>The portal's roles as stored in Identity: a user has one (assigned by an admin, or mapped from an SSO group).</summary>
public static class PortalRoles
{
    /// <summary>Platform admin: everything.</summary>
    public const string Admin = "Admin";

    /// <summary>Member of one or more teams: manages the exports of the namespaces those teams are granted.</summary>
    public const string TeamMember = "TeamMember";

    /// <summary>Reads everything except secrets and the audit log; changes nothing.</summary>
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, TeamMember, Viewer];
}
