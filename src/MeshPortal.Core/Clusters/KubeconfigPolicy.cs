namespace MeshPortal.Core.Clusters;

/// <summary>What a pasted kubeconfig may contain. The defaults are the safe ones.</summary>
public sealed record KubeconfigPolicy
{
    public static KubeconfigPolicy Default { get; } = new();

    /// <summary>
    /// Exec credential plugins (exact <c>command</c> as written in the kubeconfig) and auth-provider names
    /// that may run on the portal's host. Empty by default: nothing runs.
    /// </summary>
    public IReadOnlyCollection<string> AllowedExecCommands { get; init; } = [];

    /// <summary>Allow <c>http://</c> API servers (credentials would travel in clear text).</summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Allow <c>insecure-skip-tls-verify: true</c> (the API server's identity is not checked).</summary>
    public bool AllowInsecureSkipTlsVerify { get; init; }
}
