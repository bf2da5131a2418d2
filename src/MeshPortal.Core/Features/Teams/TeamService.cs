using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Teams;

public sealed record TeamMemberView(string UserId, string UserName);

public sealed record TeamGrantView(int Id, string Cluster, string Namespace);

public sealed record TeamView(int Id, string Name, string? Description, IReadOnlyList<TeamMemberView> Members, IReadOnlyList<TeamGrantView> Grants);

/// <summary>The outcome of a team change: errors by field, and whether the failure is "not found" or "conflict".</summary>
public sealed record TeamResult(bool Succeeded, TeamView? Team, IReadOnlyDictionary<string, string[]> Errors, bool NotFound = false, bool Conflict = false)
{
    public static TeamResult Ok(TeamView? team) => new(true, team, new Dictionary<string, string[]>());

    public static TeamResult Fail(string field, string message, bool notFound = false, bool conflict = false) =>
        new(false, null, new Dictionary<string, string[]> { [field] = [message] }, notFound, conflict);
}

/// <summary>Teams, their members and their (cluster, namespace) grants. Every change is saved together with its audit record.</summary>
public sealed class TeamService(IDbContextFactory<MeshPortalDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<TeamView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.Teams.AsNoTracking().Include(t => t.Grants).Include(t => t.Members).ThenInclude(m => m.User)
            .AsSplitQuery().OrderBy(t => t.Name).ToListAsync(ct);
        return [.. teams.Select(ToView)];
    }

    public async Task<TeamView?> GetAsync(int id, CancellationToken ct) => (await ListAsync(ct)).SingleOrDefault(t => t.Id == id);

    /// <summary>The teams a user belongs to and all their grants: what the export rules need, looked up by user id.</summary>
    public async Task<(IReadOnlyList<int> TeamIds, IReadOnlyList<TeamGrant> Grants)> RightsOfAsync(string userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.TeamId).ToListAsync(ct);
        var grants = await db.TeamGrants.AsNoTracking().Where(g => teams.Contains(g.TeamId))
            .Join(db.Teams, g => g.TeamId, t => t.Id, (g, t) => new TeamGrant(g.TeamId, t.Name, g.Cluster, g.Namespace))
            .ToListAsync(ct);
        return (teams, grants);
    }

    public async Task<IReadOnlyList<TeamGrant>> AllGrantsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TeamGrants.AsNoTracking()
            .Join(db.Teams, g => g.TeamId, t => t.Id, (g, t) => new TeamGrant(g.TeamId, t.Name, g.Cluster, g.Namespace))
            .ToListAsync(ct);
    }

    /// <summary>The ids of the teams with these names (unknown names are left out).</summary>
    public async Task<IReadOnlyList<int>> IdsByNameAsync(IReadOnlyCollection<string> names, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Teams.AsNoTracking().Where(t => names.Contains(t.Name)).Select(t => t.Id).ToListAsync(ct);
    }

    /// <summary>Makes the user a member of exactly these teams (user administration and SSO group mapping; they audit the change).</summary>
    public async Task ReplaceMembershipsAsync(string userId, IReadOnlyCollection<int> teamIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.TeamMembers.Where(m => m.UserId == userId).ExecuteDeleteAsync(ct);
        db.TeamMembers.AddRange(teamIds.Distinct().Select(t => new TeamMemberEntity { TeamId = t, UserId = userId }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<TeamResult> CreateAsync(string? name, string? description, AuditContext who, CancellationToken ct)
    {
        name = name?.Trim();
        if (ValidateName(name) is { } error)
        {
            return TeamResult.Fail("name", error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Teams.AnyAsync(t => t.Name == name, ct))
        {
            return TeamResult.Fail("name", $"A team named '{name}' already exists.", conflict: true);
        }

        var team = new TeamEntity { Name = name!, Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(), CreatedAt = clock.GetUtcNow() };
        db.Teams.Add(team);
        AuditLog.Stage(db, who, new AuditEvent("team.created", "team", team.Name, $"Team {team.Name} created", After: new { team.Name, team.Description }), team.CreatedAt);
        await db.SaveChangesAsync(ct);
        return TeamResult.Ok(await GetAsync(team.Id, ct));
    }

    public async Task<TeamResult> DeleteAsync(int id, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return NotFound(id);
        }

        db.Teams.Remove(team);
        AuditLog.Stage(db, who, new AuditEvent("team.deleted", "team", team.Name, $"Team {team.Name} deleted; its exports have no owning team now"), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TeamResult.Ok(null);
    }

    /// <summary>Replaces the members with exactly these users (by id or user name).</summary>
    public async Task<TeamResult> SetMembersAsync(int id, IReadOnlyList<string> users, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.Include(t => t.Members).ThenInclude(m => m.User).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return NotFound(id);
        }

        var wanted = users.Select(u => u.Trim()).Where(u => u.Length > 0).Distinct().ToList();
        var found = await db.Users.Where(u => wanted.Contains(u.Id) || wanted.Contains(u.UserName!)).Select(u => new { u.Id, u.UserName }).ToListAsync(ct);
        var missing = wanted.Where(w => found.All(f => f.Id != w && f.UserName != w)).ToList();
        if (missing.Count > 0)
        {
            return TeamResult.Fail("members", $"No such user: {string.Join(", ", missing)}.");
        }

        var before = team.Members.Select(m => m.User?.UserName ?? m.UserId).Order().ToList();
        team.Members.Clear();
        team.Members.AddRange(found.Select(f => new TeamMemberEntity { TeamId = id, UserId = f.Id }));
        AuditLog.Stage(db, who, new AuditEvent("team.members-changed", "team", team.Name, $"Members of team {team.Name} changed",
            Before: new { members = before }, After: new { members = found.Select(f => f.UserName).Order().ToList() }), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TeamResult.Ok(await GetAsync(id, ct));
    }

    public async Task<TeamResult> AddGrantAsync(int id, string? cluster, string? ns, AuditContext who, CancellationToken ct)
    {
        cluster = cluster?.Trim();
        ns = ns?.Trim();
        if (cluster != TeamGrant.AnyCluster && ClusterName.Validate(cluster) is { } badCluster)
        {
            return TeamResult.Fail("cluster", $"{badCluster} Use * for every cluster.");
        }

        if (DnsLabel.Validate(ns, "namespace") is { } badNamespace)
        {
            return TeamResult.Fail("namespace", badNamespace);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return NotFound(id);
        }

        if (await db.TeamGrants.AnyAsync(g => g.TeamId == id && g.Cluster == cluster && g.Namespace == ns, ct))
        {
            return TeamResult.Fail("namespace", $"Team {team.Name} already owns namespace '{ns}' on {Describe(cluster!)}.", conflict: true);
        }

        db.TeamGrants.Add(new TeamGrantEntity { TeamId = id, Cluster = cluster!, Namespace = ns! });
        AuditLog.Stage(db, who, new AuditEvent("team.grant-added", "team", team.Name,
            $"Team {team.Name} now owns namespace {ns} on {Describe(cluster!)}", After: new { cluster, @namespace = ns }), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TeamResult.Ok(await GetAsync(id, ct));
    }

    public async Task<TeamResult> RemoveGrantAsync(int id, int grantId, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        var grant = await db.TeamGrants.SingleOrDefaultAsync(g => g.Id == grantId && g.TeamId == id, ct);
        if (team is null || grant is null)
        {
            return TeamResult.Fail("id", $"Team {id} has no grant {grantId}. GET /api/v1/teams lists the teams and their grants.", notFound: true);
        }

        db.TeamGrants.Remove(grant);
        AuditLog.Stage(db, who, new AuditEvent("team.grant-removed", "team", team.Name,
            $"Team {team.Name} no longer owns namespace {grant.Namespace} on {Describe(grant.Cluster)}", Before: new { grant.Cluster, @namespace = grant.Namespace }), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TeamResult.Ok(await GetAsync(id, ct));
    }

    public static string? ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Enter a team name."
        : name.Length > 63 ? "A team name has at most 63 characters."
        : name.Any(char.IsControl) ? "A team name cannot contain control characters."
        : null;

    private static string Describe(string cluster) => cluster == TeamGrant.AnyCluster ? "every cluster" : $"cluster {cluster}";

    private static TeamResult NotFound(int id) =>
        TeamResult.Fail("id", $"There is no team {id}. GET /api/v1/teams lists the teams.", notFound: true);

    private static TeamView ToView(TeamEntity t) => new(t.Id, t.Name, t.Description,
        [.. t.Members.Select(m => new TeamMemberView(m.UserId, m.User?.UserName ?? m.UserId)).OrderBy(m => m.UserName, StringComparer.Ordinal)],
        [.. t.Grants.OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Cluster, StringComparer.Ordinal).Select(g => new TeamGrantView(g.Id, g.Cluster, g.Namespace))]);
}
