using Microsoft.AspNetCore.Http;

namespace MeshPortal.Simulator.Exec;

/// <summary>
/// The query of <c>pods/{name}/exec</c>: one <c>command=</c> per argv element, <c>container=</c>, and the
/// <c>stdin</c>/<c>stdout</c>/<c>stderr</c>/<c>tty</c> flags as <c>1</c>/<c>0</c> (C# client) or <c>true</c>/absent (kubectl).
/// </summary>
internal sealed record ExecQuery(IReadOnlyList<string> Command, string? Container, bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    public static ExecQuery From(IQueryCollection query) => new(
        [.. query["command"].Where(c => c is not null).Select(c => c!)],
        query["container"].FirstOrDefault() is { Length: > 0 } container ? container : null,
        Flag(query, "stdin"),
        Flag(query, "stdout"),
        Flag(query, "stderr"),
        Flag(query, "tty"));

    private static bool Flag(IQueryCollection query, string name) =>
        query[name].LastOrDefault() is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
