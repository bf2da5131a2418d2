using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace MeshPortal.Web.Auth;

/// <summary>
/// One authorization policy per kind of action, registered in <see cref="Register"/> and used by endpoints
/// (<c>RequireAuthorization</c>) and pages (<c>[Authorize(Policy=...)]</c>, <c>&lt;AuthorizeView Policy=...&gt;</c>) alike.
/// Every policy that changes something refuses read-only API tokens.
/// </summary>
public static class Policies
{
    /// <summary>Register, change and delete clusters.</summary>
    public const string ClustersManage = "clusters.manage";

    /// <summary>Create and rotate the mesh root, issue intermediates, decide about existing cacerts.</summary>
    public const string TrustManage = "trust.manage";

    /// <summary>Read exports; with an <see cref="MeshPortal.Core.Features.Teams.ExportTarget"/> resource: read that export (team members: their teams' only).</summary>
    public const string ExportsRead = "exports.read";

    /// <summary>Create, change and unexport; with an <see cref="MeshPortal.Core.Features.Teams.ExportTarget"/> resource: that export (ownership rules).</summary>
    public const string ExportsWrite = "exports.write";

    /// <summary>Move an export to another team.</summary>
    public const string ExportsAssign = "exports.assign";

    /// <summary>Ask for a connection check, a push or a probe cycle now (changes no desired state).</summary>
    public const string MeshOperate = "mesh.operate";

    /// <summary>Read teams and grants, users and their roles (admins; read-only admin tokens too).</summary>
    public const string TeamsRead = "teams.read";
    public const string UsersRead = "users.read";

    public const string TeamsManage = "teams.manage";
    public const string UsersManage = "users.manage";
    public const string AuditRead = "audit.read";
    public const string JobsDashboard = "jobs.dashboard";

    /// <summary>Alert channels (with their secrets) and silences.</summary>
    public const string AlertsManage = "alerts.manage";

    /// <summary>Legacy name: platform admin changes (kept so older call sites keep working; same rule as <see cref="ClustersManage"/>).</summary>
    public const string Admin = "admin";

    /// <summary>Manage one's own personal API tokens: any signed-in user (viewers too), never with a read-only token.</summary>
    public const string TokensOwn = "tokens.own";

    /// <summary>Legacy name: any operational change (same rule as <see cref="MeshOperate"/>).</summary>
    public const string Write = "write";

    public static AuthorizationPolicy SignedIn() => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

    public static void Register(AuthorizationBuilder builder)
    {
        builder.SetFallbackPolicy(SignedIn());
        foreach (var name in new[] { Admin, ClustersManage, TrustManage, TeamsManage, UsersManage, ExportsAssign, JobsDashboard, AlertsManage })
        {
            builder.AddPolicy(name, AdminChange());
        }

        foreach (var name in new[] { AuditRead, TeamsRead, UsersRead })
        {
            builder.AddPolicy(name, new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles.Admin).Build());
        }

        builder.AddPolicy(MeshOperate, Operate());
        builder.AddPolicy(Write, Operate());
        builder.AddPolicy(TokensOwn, new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(ctx => !IsReadOnly(ctx.User)).Build());
        builder.AddPolicy(ExportsRead, new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ExportReadRequirement()).Build());
        builder.AddPolicy(ExportsWrite, new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ExportWriteRequirement()).Build());
    }

    private static AuthorizationPolicy AdminChange() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireRole(Roles.Admin)
        .RequireAssertion(ctx => !IsReadOnly(ctx.User))
        .Build();

    private static AuthorizationPolicy Operate() => new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser()
        .RequireRole(Roles.Admin, Roles.TeamMember)
        .RequireAssertion(ctx => !IsReadOnly(ctx.User))
        .Build();

    public static bool IsReadOnly(ClaimsPrincipal user) =>
        user.HasClaim(PortalClaims.ReadOnly, "true");
}
