using MeshPortal.Web.Auth;

namespace MeshPortal.Web.ViewModels;

/// <summary>The question the Users page asks before an inline role or team change is saved (issue 16: risky actions ask first).</summary>
public sealed record UserChangeQuestion(string Title, string Body, string Yes)
{
    /// <summary>What a role lets its holder do, in the words the Users page uses.</summary>
    public static string Meaning(string role) => role switch
    {
        Roles.Admin => "Platform admins can do everything: register and delete clusters, rotate the mesh root, manage users and teams.",
        Roles.TeamMember => "Team members manage the exports of the namespaces their teams are granted.",
        Roles.Viewer => "Viewers read everything except secrets and the audit log, and change nothing.",
        _ => "",
    };

    /// <summary>Null when nothing changes (then nothing is asked and nothing is saved).</summary>
    public static UserChangeQuestion? ForRole(string userName, string? current, string? next)
    {
        if (next is null || string.Equals(current, next, StringComparison.Ordinal))
        {
            return null;
        }

        var body = Meaning(next);
        if (current == Roles.Admin)
        {
            body = $"{userName} loses the platform admin rights. " + body;
        }

        return new UserChangeQuestion($"Make {userName} a {Roles.Display(next).ToLowerInvariant()}?", body, $"Make {Roles.Display(next).ToLowerInvariant()}");
    }

    /// <summary>Locking signs the user out everywhere and stops their API tokens (scripts and CI break), so it asks too.</summary>
    public static UserChangeQuestion ForLock(string userName) => new(
        $"Lock {userName}?",
        $"{userName} cannot sign in and every API token of {userName} stops working (scripts and CI that use them fail) until an admin unlocks the account.",
        "Lock");

    /// <summary>Null when the set of teams is unchanged (order and case of the picks do not matter to the question).</summary>
    public static UserChangeQuestion? ForTeams(string userName, IEnumerable<string> current, IEnumerable<string> next)
    {
        var before = current.ToHashSet(StringComparer.Ordinal);
        var after = next.ToHashSet(StringComparer.Ordinal);
        var added = after.Except(before).Order(StringComparer.Ordinal).ToList();
        var removed = before.Except(after).Order(StringComparer.Ordinal).ToList();
        if (added.Count == 0 && removed.Count == 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add($"adds {string.Join(", ", added)}");
        }

        if (removed.Count > 0)
        {
            parts.Add($"removes {string.Join(", ", removed)}");
        }

        var change = string.Join("; ", parts);
        var body = $"This {change}. {userName} manages the exports of the namespaces granted to "
            + (after.Count == 0 ? "no team from now on." : $"{string.Join(", ", after.Order(StringComparer.Ordinal))}.");
        return new UserChangeQuestion($"Change the teams of {userName}?", char.ToUpperInvariant(body[0]) + body[1..], "Save teams");
    }
}
