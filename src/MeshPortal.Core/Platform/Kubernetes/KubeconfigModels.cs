namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>Stable error codes of <see cref="KubeconfigParser"/> (API contract: clients may match on them).</summary>
public static class KubeconfigErrorCodes
{
    public const string Empty = "kubeconfig.empty";
    public const string TooLarge = "kubeconfig.too-large";
    public const string Malformed = "kubeconfig.malformed";
    public const string AliasRefused = "kubeconfig.alias-refused";
    public const string TooDeep = "kubeconfig.too-deep";
    public const string MissingClusters = "kubeconfig.missing-clusters";
    public const string MissingContexts = "kubeconfig.missing-contexts";
    public const string MissingUsers = "kubeconfig.missing-users";
    public const string InvalidEntry = "kubeconfig.invalid-entry";
    public const string DuplicateName = "kubeconfig.duplicate-name";
    public const string UnknownCluster = "kubeconfig.unknown-cluster";
    public const string UnknownUser = "kubeconfig.unknown-user";
    public const string ContextNotFound = "kubeconfig.context-not-found";
    public const string ContextRequired = "kubeconfig.context-required";
    public const string MissingServer = "kubeconfig.missing-server";
    public const string InvalidServer = "kubeconfig.invalid-server";
    public const string InsecureHttpRefused = "kubeconfig.insecure-http-refused";
    public const string SkipTlsVerifyRefused = "kubeconfig.skip-tls-verify-refused";
    public const string FileReferenceRefused = "kubeconfig.file-reference-refused";
    public const string InvalidData = "kubeconfig.invalid-data";
    public const string ExecPluginRefused = "kubeconfig.exec-plugin-refused";
    public const string AuthProviderRefused = "kubeconfig.auth-provider-refused";
    public const string ControlCharacter = "kubeconfig.control-character";
    public const string ProxyRefused = "kubeconfig.proxy-refused";
    public const string AddressDenied = "kubeconfig.address-denied";
}

/// <summary>One reason a kubeconfig was refused. <see cref="Code"/> is stable; <see cref="Message"/> says what to do.</summary>
public sealed record KubeconfigError(string Code, string Message, long? Line = null, long? Column = null);

/// <summary>A context of a kubeconfig, with the non-secret facts about its cluster and user.</summary>
public sealed record KubeconfigContextInfo(string Name, string Cluster, string? User, string? Server, string? Namespace)
{
    /// <summary>How the user authenticates: token, client-certificate, basic, exec, auth-provider or none.</summary>
    public string AuthKind { get; init; } = "none";

    /// <summary>Decoded certificate-authority-data (public certificates, not secret); null when absent.</summary>
    public byte[]? CertificateAuthorityData { get; init; }

    public string? TlsServerName { get; init; }
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Refusals that concern this context (its cluster or user).</summary>
    public IReadOnlyList<KubeconfigError> Problems { get; init; } = [];
}

public sealed record KubeconfigSummary(IReadOnlyList<KubeconfigContextInfo> Contexts, string? CurrentContext)
{
    public KubeconfigContextInfo? Find(string name) => Contexts.FirstOrDefault(c => c.Name == name);
}

/// <summary>
/// Result of <see cref="KubeconfigParser.Parse(string, KubeconfigPolicy, string?)"/>: <see cref="Summary"/> is set
/// whenever the structure could be read (so a form can offer the contexts), <see cref="Errors"/> says why it cannot be used.
/// </summary>
public sealed record KubeconfigParseResult(KubeconfigSummary? Summary, KubeconfigContextInfo? Selected, IReadOnlyList<KubeconfigError> Errors)
{
    public bool IsValid => Errors.Count == 0 && Selected is not null;
}

/// <summary>Thrown by <see cref="KubeconfigParser.ExtractContext"/> when the kubeconfig cannot be used.</summary>
public sealed class KubeconfigInvalidException(IReadOnlyList<KubeconfigError> errors)
    : Exception("The kubeconfig was refused: " + string.Join(" ", errors.Select(e => $"[{e.Code}] {e.Message}")))
{
    public IReadOnlyList<KubeconfigError> Errors { get; } = errors;
}

/// <summary>The contexts of a pasted kubeconfig, or why it cannot be used.</summary>
public sealed record KubeconfigInspection(IReadOnlyList<string> Contexts, string? CurrentContext, IReadOnlyList<string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
