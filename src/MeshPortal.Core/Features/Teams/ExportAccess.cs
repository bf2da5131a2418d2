namespace MeshPortal.Core.Features.Teams;

/// <summary>A (cluster, namespace) a team owns; <see cref="Cluster"/> <c>*</c> means every cluster.</summary>
public sealed record TeamGrant(int TeamId, string TeamName, string Cluster, string Namespace)
{
    public const string AnyCluster = "*";

    public bool Covers(string cluster, string ns) =>
        string.Equals(Namespace, ns, StringComparison.Ordinal)
        && (Cluster == AnyCluster || string.Equals(Cluster, cluster, StringComparison.Ordinal));
}

/// <summary>What one user may do with exports: their role and, for team members, their teams and those teams' grants.</summary>
public sealed record ExportRights(bool IsAdmin, bool IsViewer, bool IsTeamMember, bool ReadOnly, IReadOnlyCollection<int> TeamIds, IReadOnlyList<TeamGrant> Grants)
{
    public static readonly ExportRights None = new(false, false, false, false, [], []);
}

/// <summary>An export (existing: with its owning team; new: <see cref="OwnerTeamId"/> is the team asked for, if any).</summary>
public sealed record ExportTarget(string Cluster, string Namespace, int? OwnerTeamId);

/// <summary>
/// The export ownership rules, in one place. Admins: everything. Viewers: read everything, write nothing.
/// Team members: an export whose owning team is one of theirs; an export without an owner whose (cluster, namespace) one of
/// their teams is granted; and new exports in a granted (cluster, namespace). Read-only tokens never write.
/// </summary>
public static class ExportAccess
{
    public static bool MayRead(ExportRights rights, ExportTarget export) =>
        rights.IsAdmin || rights.IsViewer || (rights.IsTeamMember && Owns(rights, export));

    public static bool MayWrite(ExportRights rights, ExportTarget export) =>
        !rights.ReadOnly && (rights.IsAdmin || (rights.IsTeamMember && Owns(rights, export)));

    /// <summary>Whether the user may create exports at all (somewhere): the coarse check before a resource is known.</summary>
    public static bool MayCreateAny(ExportRights rights) =>
        !rights.ReadOnly && (rights.IsAdmin || (rights.IsTeamMember && rights.Grants.Count > 0));

    /// <summary>The user's teams granted this (cluster, namespace), for "which team owns the new export".</summary>
    public static IReadOnlyList<(int Id, string Name)> TeamsGranted(ExportRights rights, string cluster, string ns) =>
        [.. rights.Grants.Where(g => g.Covers(cluster, ns)).Select(g => (g.TeamId, g.TeamName)).Distinct().OrderBy(t => t.TeamName, StringComparer.Ordinal)];

    /// <summary>
    /// The owning team of a new export: the requested team if it is allowed, else the only granted team. Admins may pick any
    /// team (validated by the caller) or none. Returns an error message when a team member must choose or chose a wrong one.
    /// </summary>
    public static (int? TeamId, string? Error) ChooseOwner(ExportRights rights, string cluster, string ns, int? requested, IReadOnlyList<TeamGrant> allGrants)
    {
        if (rights.IsAdmin)
        {
            if (requested is not null)
            {
                return (requested, null);
            }

            var owners = allGrants.Where(g => g.Covers(cluster, ns)).Select(g => g.TeamId).Distinct().ToList();
            return (owners.Count == 1 ? owners[0] : null, null);
        }

        var mine = TeamsGranted(rights, cluster, ns);
        if (requested is not null)
        {
            return mine.Any(t => t.Id == requested)
                ? (requested, null)
                : (null, $"Team {requested} is not one of your teams granted namespace '{ns}' on cluster {cluster}.");
        }

        return mine.Count switch
        {
            1 => (mine[0].Id, null),
            0 => (null, $"None of your teams is granted namespace '{ns}' on cluster {cluster}."),
            _ => (null, $"Several of your teams are granted namespace '{ns}' on cluster {cluster} ({string.Join(", ", mine.Select(t => t.Name))}); choose the owning team."),
        };
    }

    private static bool Owns(ExportRights rights, ExportTarget export) => export.OwnerTeamId is { } owner
        ? rights.TeamIds.Contains(owner)
        : rights.Grants.Any(g => g.Covers(export.Cluster, export.Namespace));
}
