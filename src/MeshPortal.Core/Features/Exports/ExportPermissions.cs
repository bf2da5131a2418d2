using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The outcome of "may this caller create an export here, and which team will own it".</summary>
public sealed record ExportCreateDecision(bool Allowed, int? OwnerTeamId, string? Error);

/// <summary>
/// The one place that applies the export ownership rule (<see cref="ExportAccess"/>) to a caller: the API, the export
/// form, the export list and "probe this export" all ask here. The caller's teams and grants are read by user id on
/// every decision, so API tokens inherit their owner's current rights.
/// </summary>
public sealed class ExportPermissions(TeamService teams)
{
    public static ExportTarget TargetOf(ExportView export) => new(export.Cluster, export.Namespace, export.OwnerTeamId);

    public static ExportTarget TargetOf(ExportHeader export) => new(export.Cluster, export.Namespace, export.OwnerTeamId);

    public async Task<ExportRights> RightsAsync(Actor actor, CancellationToken ct)
    {
        if (actor.UserId is not { } userId)
        {
            // No user: the portal itself, or nobody signed in.
            return actor == Actor.System ? new ExportRights(true, false, false, false, [], []) : ExportRights.None;
        }

        var (teamIds, grants) = actor.IsTeamMember ? await teams.RightsOfAsync(userId, ct) : ([], []);
        return new ExportRights(actor.IsAdmin, actor.IsViewer, actor.IsTeamMember, actor.ReadOnly, teamIds, grants);
    }

    public async Task<bool> MayReadAsync(Actor actor, ExportView export, CancellationToken ct) =>
        ExportAccess.MayRead(await RightsAsync(actor, ct), TargetOf(export));

    public async Task<bool> MayWriteAsync(Actor actor, ExportView export, CancellationToken ct) =>
        ExportAccess.MayWrite(await RightsAsync(actor, ct), TargetOf(export));

    /// <summary>Which of <paramref name="exports"/> the caller may change (ids), for the list's edit buttons.</summary>
    public async Task<IReadOnlySet<int>> WritableAsync(Actor actor, IEnumerable<ExportView> exports, CancellationToken ct)
    {
        var rights = await RightsAsync(actor, ct);
        return exports.Where(e => ExportAccess.MayWrite(rights, TargetOf(e))).Select(e => e.Id).ToHashSet();
    }

    /// <summary>Whether the caller may see an export, by its header (cluster, namespace, owning team), for server-side paging.</summary>
    public async Task<Func<ExportHeader, bool>> VisibilityAsync(Actor actor, CancellationToken ct)
    {
        var rights = await RightsAsync(actor, ct);
        return e => ExportAccess.MayRead(rights, TargetOf(e));
    }

    /// <summary>Not allowed: the caller answers 403 and saves nothing. Allowed with an error: the team must be chosen (400).</summary>
    public async Task<ExportCreateDecision> DecideCreateAsync(Actor actor, string cluster, string ns, int? requestedTeam, CancellationToken ct)
    {
        var rights = await RightsAsync(actor, ct);
        if (!ExportAccess.MayWrite(rights, new ExportTarget(cluster, ns, null)))
        {
            return new ExportCreateDecision(false, null, actor.ReadOnly
                ? "This API token is read-only; use a token that may make changes."
                : $"You may not export from namespace '{ns}' of cluster {cluster}: none of your teams is granted it. Ask a platform admin for a grant.");
        }

        var (team, error) = ExportAccess.ChooseOwner(rights, cluster, ns, requestedTeam, await teams.AllGrantsAsync(ct));
        return new ExportCreateDecision(true, team, error);
    }

    /// <summary>The teams a new export in (cluster, namespace) could belong to, for the team picker.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> OwnerChoicesAsync(Actor actor, string cluster, string ns, CancellationToken ct)
    {
        var rights = await RightsAsync(actor, ct);
        return rights.IsAdmin
            ? [.. (await teams.AllGrantsAsync(ct)).Where(g => g.Covers(cluster, ns)).Select(g => (g.TeamId, g.TeamName)).Distinct().OrderBy(t => t.TeamName, StringComparer.Ordinal)]
            : ExportAccess.TeamsGranted(rights, cluster, ns);
    }

    /// <summary>Namespaces offered in the picker: all for admins, the granted ones on this cluster for team members.</summary>
    public async Task<IReadOnlyList<string>> WritableNamespacesAsync(Actor actor, string cluster, IEnumerable<string> namespaces, CancellationToken ct)
    {
        var rights = await RightsAsync(actor, ct);
        return rights.IsAdmin ? [.. namespaces] : [.. namespaces.Where(n => rights.Grants.Any(g => g.Covers(cluster, n)))];
    }
}
