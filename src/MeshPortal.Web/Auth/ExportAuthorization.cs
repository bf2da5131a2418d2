using System.Security.Claims;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Teams;
using Microsoft.AspNetCore.Authorization;

namespace MeshPortal.Web.Auth;

public sealed class ExportReadRequirement : IAuthorizationRequirement;

public sealed class ExportWriteRequirement : IAuthorizationRequirement;

/// <summary>
/// The policies <see cref="Policies.ExportsRead"/> and <see cref="Policies.ExportsWrite"/> (menus, <c>AuthorizeView</c>,
/// endpoint groups) over the same rule the export commands apply: the caller's rights come from
/// <see cref="ExportPermissions"/>, the decision is <see cref="ExportAccess"/>.
/// With an <see cref="ExportTarget"/> resource it decides about that export; without one (endpoint and page level) it
/// only asks whether the user could read or write any export at all.
/// </summary>
public sealed class ExportAuthorizationHandler(ExportPermissions permissions) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        var pending = context.PendingRequirements.Where(r => r is ExportReadRequirement or ExportWriteRequirement).ToList();
        if (pending.Count == 0 || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        var user = await permissions.RightsAsync(Actors.From(context.User, AuditContexts.From(context.User, null, null)), CancellationToken.None);
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
