namespace MeshPortal.Web.Auth;

public static class AuthSchemes
{
    /// <summary>Forwards to the bearer-token scheme when an Authorization: Bearer header is present, else to the Identity cookie.</summary>
    public const string Smart = "MeshPortal";
    public const string ApiToken = "ApiToken";
}

public static class PortalClaims
{
    public const string TokenName = "meshportal:token";
    public const string ReadOnly = "meshportal:readonly";
}

/// <summary>The portal's roles (<see cref="MeshPortal.Core.Features.Users.PortalRoles"/>) with their display names.</summary>
public static class Roles
{
    /// <summary>Platform admin: everything.</summary>
    public const string Admin = MeshPortal.Core.Features.Users.PortalRoles.Admin;

    /// <summary>Member of one or more teams: manages the exports of the namespaces those teams are granted.</summary>
    public const string TeamMember = MeshPortal.Core.Features.Users.PortalRoles.TeamMember;

    /// <summary>Reads everything except secrets and the audit log; changes nothing.</summary>
    public const string Viewer = MeshPortal.Core.Features.Users.PortalRoles.Viewer;

    public static readonly IReadOnlyList<string> All = MeshPortal.Core.Features.Users.PortalRoles.All;

    public static string Display(string role) => role switch
    {
        Admin => "Platform admin",
        TeamMember => "Team member",
        Viewer => "Viewer",
        _ => role,
    };
}
