namespace MeshPortal.Core.Platform.Commands;

public enum CommandStatus
{
    Done,
    NotFound,
    Forbidden,
    Invalid,
}

/// <summary>
/// What a command did: done (with its value), or why not: nothing found, not allowed, or invalid input (errors by field).
/// A command that does not finish changes nothing and audits nothing.
/// </summary>
public sealed record CommandResult<T>(CommandStatus Status, T? Value, string? Error, IReadOnlyDictionary<string, string[]> Errors)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public bool Succeeded => Status == CommandStatus.Done;

    public static CommandResult<T> Ok(T value) => new(CommandStatus.Done, value, null, NoErrors);

    public static CommandResult<T> NotFound(string error) => new(CommandStatus.NotFound, default, error, NoErrors);

    public static CommandResult<T> Forbidden(string error) => new(CommandStatus.Forbidden, default, error, NoErrors);

    public static CommandResult<T> Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(CommandStatus.Invalid, default, string.Join(" ", errors.Values.SelectMany(e => e)), errors);
}
