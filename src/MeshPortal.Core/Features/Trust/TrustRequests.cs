namespace MeshPortal.Core.Features.Trust;

/// <summary>How to create the mesh root: "generate", "import" or "external" (the API and the UI send the same shape).</summary>
public sealed record CreateRootRequest(
    string? Mode,
    string? KeyType = null,
    string? Organization = null,
    string? CommonName = null,
    string? CertificatePem = null,
    string? PrivateKeyPem = null)
{
    public const string Generate = "generate";
    public const string Import = "import";
    public const string External = "external";

    /// <summary>Leaves the private key out, so that logging the request cannot leak it.</summary>
    public override string ToString() => $"CreateRootRequest {{ Mode = {Mode}, KeyType = {KeyType}, Organization = {Organization}, CommonName = {CommonName} }}";
}

public enum TrustOutcomeKind
{
    Ok,
    Invalid,
    Conflict,
    NotFound,
}

/// <summary>The result of a trust action: done, refused with field errors, a conflict (e.g. a root exists) or not found.</summary>
public sealed record TrustOutcome(TrustOutcomeKind Kind, string Message, IReadOnlyDictionary<string, string[]> Errors)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public bool Succeeded => Kind == TrustOutcomeKind.Ok;

    public static TrustOutcome Ok(string message) => new(TrustOutcomeKind.Ok, message, NoErrors);

    public static TrustOutcome Invalid(CaValidation validation) =>
        new(TrustOutcomeKind.Invalid, string.Join(" ", validation.Errors.SelectMany(e => e.Value)), validation.Errors);

    public static TrustOutcome Invalid(string field, string message) => Invalid(CaValidation.Of(field, message));

    public static TrustOutcome Conflict(string message) => new(TrustOutcomeKind.Conflict, message, NoErrors);

    public static TrustOutcome NotFound(string message) => new(TrustOutcomeKind.NotFound, message, NoErrors);
}
