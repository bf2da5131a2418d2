using System.Security.Claims;
using MeshPortal.Core.Features.Teams;
using Microsoft.AspNetCore.Authorization;

namespace MeshPortal.Web.Auth;

public sealed class ExportReadRequirement : IAuthorizationRequirement;

public sealed class ExportWriteRequirement : IAuthorizationRequirement;

/// <summary>
/// The export ownership rules for <see cref="Policies.ExportsRead"/> and <see cref="Policies.ExportsWrite"/>. The user's
/// teams and grants are looked up by user id in the database on every decision, so API tokens (which carry their owner's
/// id) inherit their owner's current rights. The decision itself is <see cref="ExportAccess"/>.
/// With an <see cref="ExportTarget"/> resource it decides about that export; without one (endpoint and page level) it
/// only asks whether the user could read or write any export at all.
/// </summary>
public sealed class ExportAuthorizationHandler(ExportRightsReader rights) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var pending = context.PendingRequirements.Where(r => r is ExportReadRequirement or ExportWriteRequirement).ToList();
        if (pending.Count == 0 || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var user = await rights.ReadAsync(context.User, CancellationToken.None);
        foreach (var requirement in pending)
        {
            var allowed = (requirement, context.Resource) switch
            {
                (ExportReadRequirement, ExportTarget target) => ExportAccess.MayRead(user, target),
                (ExportReadRequirement, _) => user.IsAdmin || user.IsViewer || user.IsTeamMember,
                (ExportWriteRequirement, ExportTarget target) => ExportAccess.MayWrite(user, target),
                (ExportWriteRequirement, _) => ExportAccess.MayCreateAny(user),
                _ => false,
            };
            if (allowed)
            {
                context.Succeed(requirement);
            }
        }
    }
}

/// <summary>Builds a user's <see cref="ExportRights"/>: role and read-only flag from the principal, teams and grants from the database.</summary>
public sealed class ExportRightsReader(TeamService teams)
{
    public async Task<ExportRights> ReadAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (user.Identity?.IsAuthenticated != true || userId is null)
        {
            return ExportRights.None;
        }

        var isTeamMember = user.IsInRole(Roles.TeamMember);
        var (teamIds, grants) = isTeamMember ? await teams.RightsOfAsync(userId, ct) : ([], []);
        return new ExportRights(user.IsInRole(Roles.Admin), user.IsInRole(Roles.Viewer), isTeamMember, Policies.IsReadOnly(user), teamIds, grants);
    }
}

/// <summary>The outcome of "may this user create an export here, and which team will own it".</summary>
public sealed record ExportCreateDecision(bool Allowed, int? OwnerTeamId, string? Error);

/// <summary>
/// The export checks the API and the pages share: the <see cref="Policies.ExportsRead"/> / <see cref="Policies.ExportsWrite"/>
/// policies with the export as resource, plus the choice of the owning team for a new export.
/// </summary>
public sealed class ExportGate(IAuthorizationService authz, ExportRightsReader rights, TeamService teams)
{
    public static ExportTarget TargetOf(MeshPortal.Core.Features.Exports.ExportView export) => new(export.Cluster, export.Namespace, export.OwnerTeamId);

    public async Task<bool> MayReadAsync(ClaimsPrincipal user, MeshPortal.Core.Features.Exports.ExportView export) =>
        (await authz.AuthorizeAsync(user, TargetOf(export), Policies.ExportsRead)).Succeeded;

    public async Task<bool> MayWriteAsync(ClaimsPrincipal user, MeshPortal.Core.Features.Exports.ExportView export) =>
        (await authz.AuthorizeAsync(user, TargetOf(export), Policies.ExportsWrite)).Succeeded;

    public async Task<IReadOnlyList<MeshPortal.Core.Features.Exports.ExportView>> VisibleAsync(ClaimsPrincipal user, IEnumerable<MeshPortal.Core.Features.Exports.ExportView> exports, CancellationToken ct)
    {
        var mine = await rights.ReadAsync(user, ct);
        return [.. exports.Where(e => ExportAccess.MayRead(mine, TargetOf(e)))];
    }

    /// <summary>Whether the user may see an export, by its header (cluster, namespace, owning team), for server-side paging.</summary>
    public async Task<Func<MeshPortal.Core.Features.Exports.ExportHeader, bool>> VisibilityAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var mine = await rights.ReadAsync(user, ct);
        return e => ExportAccess.MayRead(mine, new ExportTarget(e.Cluster, e.Namespace, e.OwnerTeamId));
    }

    /// <summary>Not allowed: the caller answers 403 and saves nothing. Allowed with an error: the team must be chosen (400).</summary>
    public async Task<ExportCreateDecision> DecideCreateAsync(ClaimsPrincipal user, string cluster, string ns, int? requestedTeam, CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(user, new ExportTarget(cluster, ns, null), Policies.ExportsWrite)).Succeeded)
        {
            return new ExportCreateDecision(false, null, Policies.IsReadOnly(user)
                ? "This API token is read-only; use a token that may make changes."
                : $"You may not export from namespace '{ns}' of cluster {cluster}: none of your teams is granted it. Ask a platform admin for a grant.");
        }

        var (team, error) = ExportAccess.ChooseOwner(await rights.ReadAsync(user, ct), cluster, ns, requestedTeam, await teams.AllGrantsAsync(ct));
        return new ExportCreateDecision(true, team, error);
    }

    /// <summary>The teams a new export in (cluster, namespace) could belong to, for the team picker.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> OwnerChoicesAsync(ClaimsPrincipal user, string cluster, string ns, CancellationToken ct)
    {
        var mine = await rights.ReadAsync(user, ct);
        return mine.IsAdmin
            ? [.. (await teams.AllGrantsAsync(ct)).Where(g => g.Covers(cluster, ns)).Select(g => (g.TeamId, g.TeamName)).Distinct().OrderBy(t => t.TeamName, StringComparer.Ordinal)]
            : ExportAccess.TeamsGranted(mine, cluster, ns);
    }

    /// <summary>Namespaces offered in the picker: all for admins, the granted ones on this cluster for team members.</summary>
    public async Task<IReadOnlyList<string>> WritableNamespacesAsync(ClaimsPrincipal user, string cluster, IEnumerable<string> namespaces, CancellationToken ct)
    {
        var mine = await rights.ReadAsync(user, ct);
        return mine.IsAdmin ? [.. namespaces] : [.. namespaces.Where(n => mine.Grants.Any(g => g.Covers(cluster, n)))];
    }
}
