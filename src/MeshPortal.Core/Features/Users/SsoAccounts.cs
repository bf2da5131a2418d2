using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Users;

/// <summary>
/// The local shadow accounts of SSO sign-ins (external login + subject): created at the first sign-in, their role and team
/// memberships aligned with the identity provider's groups at every sign-in. Scoped: Identity saves through this scope's
/// context, so a new account, its login and its audit record are one transaction.
/// </summary>
public sealed partial class SsoAccounts(UserManager<PortalUser> users, MeshPortalDbContext db, TeamService teams, TimeProvider clock, ILogger<SsoAccounts> logger,
    ApiTokenStore tokens)
{
    /// <summary>The account linked to (<paramref name="scheme"/>, <paramref name="subject"/>), created and audited when there is none.</summary>
    public async Task<PortalUser> EnsureAsync(string scheme, string subject, string providerName, string userName, string? role, IReadOnlyList<string> teamNames,
        AuditContext who, CancellationToken ct)
    {
        var user = await users.FindByLoginAsync(scheme, subject);
        if (user is not null)
        {
            return user;
        }

        var name = userName;
        if (await users.FindByNameAsync(name) is not null)
        {
            name = $"{userName}@sso"; // a local account of that name exists: never merge an SSO identity into it
        }

        user = new PortalUser { UserName = name, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Check(await users.CreateAsync(user), "create the SSO shadow user");
        AuditLog.Stage(db, who with { Actor = name }, new AuditEvent("user.created", "user", name, "Shadow account created at first SSO sign-in",
            After: new { role, teams = teamNames }), user.CreatedAt);
        Check(await users.AddLoginAsync(user, new UserLoginInfo(scheme, subject, providerName)), "link the SSO login"); // saves the record too
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>SSO users' role and teams follow the identity provider's groups at every sign-in.</summary>
    public async Task AlignAsync(PortalUser user, string? role, IReadOnlyList<string> teamNames, CancellationToken ct)
    {
        var current = await users.GetRolesAsync(user);
        if (current.Count != (role is null ? 0 : 1) || (role is not null && !current.Contains(role)))
        {
            await users.RemoveFromRolesAsync(user, current);
            if (role is not null)
            {
                await users.AddToRoleAsync(user, role);
            }

            tokens.ForgetCachedChecks(); // the user's API tokens act with the new role at once (ApiTokenCache)
        }

        var teamIds = await teams.IdsByNameAsync(teamNames, ct);
        if (teamNames.Count > teamIds.Count)
        {
            LogUnknownTeams(logger, user.UserName, teamNames.Count - teamIds.Count);
        }

        await teams.ReplaceMembershipsAsync(user.Id, teamIds, ct);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSO user {User}: {Count} mapped team(s) do not exist in MeshPortal; create them on the Teams page")]
    private static partial void LogUnknownTeams(ILogger logger, string? user, int count);
}
