using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Web.Auth;

public sealed record UserView(string Id, string UserName, string? Role, IReadOnlyList<string> Teams, bool LockedOut, bool HasPassword, bool External, DateTimeOffset CreatedAt);

public sealed record UserResult(bool Succeeded, UserView? User, IReadOnlyDictionary<string, string[]> Errors, bool NotFound = false, bool Conflict = false)
{
    public static UserResult Ok(UserView? user) => new(true, user, new Dictionary<string, string[]>());

    public static UserResult Fail(string field, string message, bool notFound = false, bool conflict = false) =>
        new(false, null, new Dictionary<string, string[]> { [field] = [message] }, notFound, conflict);

    public static UserResult Fail(string field, IdentityResult result) =>
        new(false, null, new Dictionary<string, string[]> { [field] = [.. result.Errors.Select(e => e.Description)] });

    public string Message => string.Join(" ", Errors.SelectMany(e => e.Value));
}

/// <summary>Local accounts for admins: create, role, teams, password reset, lock and unlock. Every change is audited (never a password).</summary>
public sealed class UserAdministration(
    UserManager<PortalUser> users,
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IAuditLog audit,
    MeshPortal.Core.Features.Tokens.ApiTokenStore tokens,
    MeshPortal.Core.Features.Teams.TeamService teamService,
    TimeProvider clock)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var roles = await db.UserRoles.AsNoTracking().Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var teams = await db.TeamMembers.AsNoTracking().Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new { m.UserId, t.Name }).ToListAsync(ct);
        var logins = await db.UserLogins.AsNoTracking().Select(l => l.UserId).Distinct().ToListAsync(ct);
        var now = clock.GetUtcNow();
        return [.. all.Select(u => new UserView(
            u.Id,
            u.UserName ?? u.Id,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name).OrderBy(r => Roles.All.ToList().IndexOf(r!)).FirstOrDefault(),
            [.. teams.Where(t => t.UserId == u.Id).Select(t => t.Name).Order(StringComparer.Ordinal)],
            u.LockoutEnd is { } end && end > now,
            u.PasswordHash is not null,
            logins.Contains(u.Id),
            u.CreatedAt))];
    }

    public async Task<UserView?> GetAsync(string id, CancellationToken ct) => (await ListAsync(ct)).SingleOrDefault(u => u.Id == id);

    public async Task<UserResult> CreateAsync(string? userName, string? password, string? role, IReadOnlyList<string>? teams, AuditContext who, CancellationToken ct)
    {
        userName = userName?.Trim();
        if (string.IsNullOrEmpty(userName))
        {
            return UserResult.Fail("userName", "Enter a user name.");
        }

        if (role is not null && !Roles.All.Contains(role))
        {
            return UserResult.Fail("role", $"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.");
        }

        if (string.IsNullOrEmpty(password))
        {
            return UserResult.Fail("password", "Enter an initial password.");
        }

        if (await users.FindByNameAsync(userName) is not null)
        {
            return UserResult.Fail("userName", $"A user named '{userName}' already exists.", conflict: true);
        }

        var teamIds = await ResolveTeamsAsync(teams, ct);
        if (teamIds.Error is not null)
        {
            return UserResult.Fail("teams", teamIds.Error);
        }

        var user = new PortalUser { UserName = userName, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            var field = created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "userName";
            return UserResult.Fail(field, created);
        }

        if (role is not null)
        {
            await users.AddToRoleAsync(user, role);
        }

        await ReplaceTeamsAsync(user.Id, teamIds.Ids, ct);
        var view = await GetAsync(user.Id, ct);
        await audit.RecordAsync(who, new AuditEvent("user.created", "user", userName, $"User {userName} created",
            After: new { role, teams = view?.Teams }), ct);
        return UserResult.Ok(view);
    }

    public async Task<UserResult> SetRoleAsync(string id, string? role, AuditContext who, CancellationToken ct)
    {
        if (role is not null && !Roles.All.Contains(role))
        {
            return UserResult.Fail("role", $"Unknown role '{role}'. Roles: {string.Join(", ", Roles.All)}.");
        }

        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound(id);
        }

        var current = await users.GetRolesAsync(user);
        if (id == who.UserId && current.Contains(Roles.Admin) && role != Roles.Admin)
        {
            return UserResult.Fail("role", "You cannot take the admin role from yourself; ask another admin.");
        }

        await users.RemoveFromRolesAsync(user, current);
        if (role is not null)
        {
            await users.AddToRoleAsync(user, role);
        }

        await users.UpdateSecurityStampAsync(user); // signed-in sessions pick up the new role
        await audit.RecordAsync(who, new AuditEvent("user.role-changed", "user", user.UserName, $"Role of {user.UserName} changed",
            Before: new { roles = current }, After: new { role }), ct);
        return UserResult.Ok(await GetAsync(id, ct));
    }

    public async Task<UserResult> SetTeamsAsync(string id, IReadOnlyList<string> teams, AuditContext who, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound(id);
        }

        var resolved = await ResolveTeamsAsync(teams, ct);
        if (resolved.Error is not null)
        {
            return UserResult.Fail("teams", resolved.Error);
        }

        var before = (await GetAsync(id, ct))!.Teams;
        await ReplaceTeamsAsync(id, resolved.Ids, ct);
        var after = await GetAsync(id, ct);
        await audit.RecordAsync(who, new AuditEvent("user.teams-changed", "user", user.UserName, $"Teams of {user.UserName} changed",
            Before: new { teams = before }, After: new { teams = after!.Teams }), ct);
        return UserResult.Ok(after);
    }

    public async Task<UserResult> ResetPasswordAsync(string id, string? password, AuditContext who, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound(id);
        }

        if (string.IsNullOrEmpty(password))
        {
            return UserResult.Fail("password", "Enter the new password.");
        }

        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
        {
            return UserResult.Fail("password", reset);
        }

        await users.ResetAccessFailedCountAsync(user);
        // A reset means the credentials may be known to someone else: the user's API tokens stop working too.
        var revoked = await tokens.RevokeAllAsync(user.Id, ct);
        await audit.RecordAsync(who, new AuditEvent("user.password-reset", "user", user.UserName,
            $"Password of {user.UserName} reset by an admin; {revoked} API token(s) revoked"), ct);
        return UserResult.Ok(await GetAsync(id, ct));
    }

    /// <summary>Locks the account until unlocked: no sign-in, and its API tokens stop working.</summary>
    public async Task<UserResult> LockAsync(string id, AuditContext who, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound(id);
        }

        if (id == who.UserId)
        {
            return UserResult.Fail("id", "You cannot lock your own account.");
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, AccountLocks.AdminLockEnd);
        await users.UpdateSecurityStampAsync(user);
        await audit.RecordAsync(who, new AuditEvent("user.locked", "user", user.UserName, $"{user.UserName} locked by an admin"), ct);
        return UserResult.Ok(await GetAsync(id, ct));
    }

    public async Task<UserResult> UnlockAsync(string id, AuditContext who, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound(id);
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await audit.RecordAsync(who, new AuditEvent("user.unlocked", "user", user.UserName, $"{user.UserName} unlocked"), ct);
        return UserResult.Ok(await GetAsync(id, ct));
    }

    private async Task<(List<int> Ids, string? Error)> ResolveTeamsAsync(IReadOnlyList<string>? names, CancellationToken ct)
    {
        if (names is null || names.Count == 0)
        {
            return ([], null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var wanted = names.Select(n => n.Trim()).Distinct().ToList();
        var found = await db.Teams.AsNoTracking().Where(t => wanted.Contains(t.Name)).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var missing = wanted.Where(w => found.All(f => f.Name != w)).ToList();
        return missing.Count > 0 ? ([], $"No such team: {string.Join(", ", missing)}.") : ([.. found.Select(f => f.Id)], null);
    }

    private Task ReplaceTeamsAsync(string userId, List<int> teamIds, CancellationToken ct) => teamService.ReplaceMembershipsAsync(userId, teamIds, ct);

    private static UserResult NotFound(string id) =>
        UserResult.Fail("id", $"There is no user {id}. GET /api/v1/users lists the users.", notFound: true);
}
