using Microsoft.AspNetCore.Authorization;

namespace MeshPortal.Web.Auth;

/// <summary>One authorization policy per kind of action, enforced on the server for both UI and API.</summary>
public static class Policies
{
    /// <summary>Platform admin actions that change state (register clusters, trust, ...). Read-only tokens are refused.</summary>
    public const string Admin = "admin";

    /// <summary>Any change at all; read-only tokens are refused.</summary>
    public const string Write = "write";

    public static AuthorizationPolicy SignedIn() => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

    public static AuthorizationPolicy AdminPolicy() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireRole(Roles.Admin)
        .RequireAssertion(ctx => !IsReadOnly(ctx.User))
        .Build();

    public static AuthorizationPolicy WritePolicy() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireAssertion(ctx => !IsReadOnly(ctx.User))
        .Build();

    public static bool IsReadOnly(System.Security.Claims.ClaimsPrincipal user) =>
        user.HasClaim(PortalClaims.ReadOnly, "true");
}
