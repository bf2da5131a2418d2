using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Users;

/// <summary>
/// Local accounts for admins: create, role, teams, password reset, lock and unlock. Scoped: Identity's user manager saves
/// through this scope's <see cref="MeshPortalDbContext"/>, so each change runs in one transaction on that context and its
/// audit record (never a password) is saved with the change's last write: both are stored or neither.
/// </summary>
public sealed class UserAdministration(
    UserManager<PortalUser> users,
    MeshPortalDbContext db,
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    TimeProvider clock,
    ApiTokenStore tokens)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken ct)
    {
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var all = await read.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var roles = await read.UserRoles.AsNoTracking().Join(read.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync(ct);
        var teams = await read.TeamMembers.AsNoTracking().Join(read.Teams, m => m.TeamId, t => t.Id, (m, t) => new { m.UserId, t.Name }).ToListAsync(ct);
        var logins = await read.UserLogins.AsNoTracking().Select(l => l.UserId).Distinct().ToListAsync(ct);
        var now = clock.GetUtcNow();
        return [.. all.Select(u => new UserView(
            u.Id,
            u.UserName ?? u.Id,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name).OrderBy(r => PortalRoles.All.ToList().IndexOf(r!)).FirstOrDefault(),
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

        if (role is not null && !PortalRoles.All.Contains(role))
        {
            return UserResult.Fail("role", $"Unknown role '{role}'. Roles: {string.Join(", ", PortalRoles.All)}.");
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
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
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
            AuditLog.Stage(db, who, new AuditEvent("user.created", "user", userName, $"User {userName} created",
                After: new { role, teams = teamIds.Names }), user.CreatedAt);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return UserResult.Ok(await GetAsync(user.Id, ct));
    }

    public async Task<UserResult> SetRoleAsync(string id, string? role, AuditContext who, CancellationToken ct)
    {
        if (role is not null && !PortalRoles.All.Contains(role))
        {
            return UserResult.Fail("role", $"Unknown role '{role}'. Roles: {string.Join(", ", PortalRoles.All)}.");
        }

        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound(id);
        }

        var current = await users.GetRolesAsync(user);
        if (id == who.UserId && current.Contains(PortalRoles.Admin) && role != PortalRoles.Admin)
        {
            return UserResult.Fail("role", "You cannot take the admin role from yourself; ask another admin.");
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await users.RemoveFromRolesAsync(user, current);
            if (role is not null)
            {
                await users.AddToRoleAsync(user, role);
            }

            AuditLog.Stage(db, who, new AuditEvent("user.role-changed", "user", user.UserName, $"Role of {user.UserName} changed",
                Before: new { roles = current }, After: new { role }), clock.GetUtcNow());
            await users.UpdateSecurityStampAsync(user); // signed-in sessions pick up the new role; saves the audit record too
            await tx.CommitAsync(ct);
        }

        tokens.ForgetCachedChecks(); // API requests pick up the new role at once (ApiTokenCache)

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
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await ReplaceTeamsAsync(id, resolved.Ids, ct);
            AuditLog.Stage(db, who, new AuditEvent("user.teams-changed", "user", user.UserName, $"Teams of {user.UserName} changed",
                Before: new { teams = before }, After: new { teams = resolved.Names }), clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return UserResult.Ok(await GetAsync(id, ct));
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

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
            if (!reset.Succeeded)
            {
                return UserResult.Fail("password", reset);
            }

            await users.ResetAccessFailedCountAsync(user);
            // A reset means the credentials may be known to someone else: the user's API tokens stop working too.
            var now = clock.GetUtcNow();
            var live = await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync(ct);
            live.ForEach(t => t.RevokedAt = now);
            AuditLog.Stage(db, who, new AuditEvent("user.password-reset", "user", user.UserName,
                $"Password of {user.UserName} reset by an admin; {live.Count} API token(s) revoked"), now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        tokens.ForgetCachedChecks(); // the revoked tokens are refused at once (ApiTokenCache)

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

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, AccountLocks.AdminLockEnd);
            AuditLog.Stage(db, who, new AuditEvent("user.locked", "user", user.UserName, $"{user.UserName} locked by an admin"), clock.GetUtcNow());
            await users.UpdateSecurityStampAsync(user);
            await tx.CommitAsync(ct);
        }

        tokens.ForgetCachedChecks(); // the locked user's tokens are refused at once (ApiTokenCache)

        return UserResult.Ok(await GetAsync(id, ct));
    }

    public async Task<UserResult> UnlockAsync(string id, AuditContext who, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return NotFound(id);
        }

        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await users.SetLockoutEndDateAsync(user, null);
            AuditLog.Stage(db, who, new AuditEvent("user.unlocked", "user", user.UserName, $"{user.UserName} unlocked"), clock.GetUtcNow());
            await users.ResetAccessFailedCountAsync(user);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        tokens.ForgetCachedChecks(); // the user's tokens work again at once (ApiTokenCache)

        return UserResult.Ok(await GetAsync(id, ct));
    }

    private async Task<(List<int> Ids, List<string> Names, string? Error)> ResolveTeamsAsync(IReadOnlyList<string>? names, CancellationToken ct)
    {
        if (names is null || names.Count == 0)
        {
            return ([], [], null);
        }

        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var wanted = names.Select(n => n.Trim()).Distinct().ToList();
        var found = await read.Teams.AsNoTracking().Where(t => wanted.Contains(t.Name)).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        var missing = wanted.Where(w => found.All(f => f.Name != w)).ToList();
        return missing.Count > 0
            ? ([], [], $"No such team: {string.Join(", ", missing)}.")
            : ([.. found.Select(f => f.Id)], [.. found.Select(f => f.Name).Order(StringComparer.Ordinal)], null);
    }

    /// <summary>Makes the user a member of exactly these teams, on this scope's context (inside the caller's transaction); not saved yet.</summary>
    private async Task ReplaceTeamsAsync(string userId, List<int> teamIds, CancellationToken ct)
    {
        db.TeamMembers.RemoveRange(await db.TeamMembers.Where(m => m.UserId == userId).ToListAsync(ct));
        db.TeamMembers.AddRange(teamIds.Distinct().Select(t => new TeamMemberEntity { TeamId = t, UserId = userId }));
    }

    private static UserResult NotFound(string id) =>
        UserResult.Fail("id", $"There is no user {id}. GET /api/v1/users lists the users.", notFound: true);
}
