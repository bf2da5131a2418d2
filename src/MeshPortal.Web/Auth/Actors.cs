using System.Security.Claims;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Web.Auth;

/// <summary>Builds the caller of a Core command from the signed-in principal: who (for audit) and its role and read-only flag.</summary>
public static class Actors
{
    public static Actor From(HttpContext http) => From(http.User, AuditContexts.From(http));

    public static Actor From(ClaimsPrincipal user, AuditContext who) => user.Identity?.IsAuthenticated == true
        ? new Actor(who, user.IsInRole(Roles.Admin), user.IsInRole(Roles.TeamMember), user.IsInRole(Roles.Viewer), Policies.IsReadOnly(user))
        : new Actor(who, false, false, false, true);

    /// <summary>The caller of a command started in this Blazor circuit by <paramref name="user"/>.</summary>
    public static Actor ActorOf(this CircuitClient client, ClaimsPrincipal user) => From(user, client.For(user));
}
