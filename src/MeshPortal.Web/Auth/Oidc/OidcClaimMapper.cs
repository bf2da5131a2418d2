using System.Security.Claims;
using System.Text.Json;

namespace MeshPortal.Web.Auth.Oidc;

/// <summary>Who an SSO user is locally: name, subject, one role, and the teams their groups map to.</summary>
public sealed record OidcIdentity(string Subject, string UserName, string? Role, IReadOnlyList<string> Teams, IReadOnlyList<string> Groups);

/// <summary>Maps the claims of an OpenID Connect sign-in to a local user name, role and teams (pure; see the tests).</summary>
public static class OidcClaimMapper
{
    /// <summary>The strongest role wins: Admin over TeamMember over Viewer.</summary>
    private static readonly string[] RoleOrder = [Roles.Admin, Roles.TeamMember, Roles.Viewer];

    public static OidcIdentity? Map(IEnumerable<Claim> claims, OidcOptions options)
    {
        var list = claims.ToList();
        var subject = First(list, "sub", ClaimTypes.NameIdentifier);
        if (subject is null)
        {
            return null;
        }

        var userName = First(list, options.UserNameClaim, "preferred_username", "email", ClaimTypes.Email, ClaimTypes.Name) ?? subject;
        var groups = Groups(list, options.GroupsClaim);
        var matched = options.Mappings.Where(m => groups.Contains(m.Group, StringComparer.Ordinal)).ToList();
        var teams = matched.Select(m => m.Team?.Trim()).Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var mappedRoles = matched.Select(m => m.Role).Where(r => r is not null && RoleOrder.Contains(r)).ToList();
        var role = RoleOrder.FirstOrDefault(mappedRoles.Contains)
                   ?? (teams.Count > 0 ? Roles.TeamMember : RoleOrder.Contains(options.DefaultRole) ? options.DefaultRole : null);
        return new OidcIdentity(subject, userName, role, teams, groups);
    }

    private static string? First(List<Claim> claims, params string[] types) =>
        types.Select(t => claims.FirstOrDefault(c => c.Type == t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>Groups arrive as one claim per group, or as one claim holding a JSON array.</summary>
    private static List<string> Groups(List<Claim> claims, string type)
    {
        var groups = new List<string>();
        foreach (var claim in claims.Where(c => c.Type == type))
        {
            var value = claim.Value.Trim();
            if (value.StartsWith('['))
            {
                try
                {
                    groups.AddRange(JsonSerializer.Deserialize<List<string>>(value) ?? []);
                    continue;
                }
                catch (JsonException)
                {
                    // not an array after all: a group whose name starts with '['
                }
            }

            groups.Add(value);
        }

        return [.. groups.Where(g => g.Length > 0).Distinct(StringComparer.Ordinal)];
    }
}
