using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Core.Features.Users;

/// <summary>A portal account as the Users page and <c>/api/v1/users</c> show it (read model; never a password hash).</summary>
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
