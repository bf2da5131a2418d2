namespace MeshPortal.Core.Clusters;

/// <summary>The <c>MeshPortal:Clusters</c> configuration section: what kubeconfigs may do and how long cluster calls may take.</summary>
public sealed class ClusterAccessOptions
{
    public const string Section = "MeshPortal:Clusters";

    /// <summary>Exec credential plugin commands (exact, as written in the kubeconfig) or auth-provider names allowed to run on the portal's host.</summary>
    public List<string> AllowedExecCommands { get; set; } = [];

    public bool AllowInsecureHttp { get; set; }

    public bool AllowInsecureSkipTlsVerify { get; set; }

    /// <summary>Timeout of each stage of the connection check.</summary>
    public int StageTimeoutSeconds { get; set; } = 5;

    /// <summary>Timeout of one request to a cluster's API server.</summary>
    public int RequestTimeoutSeconds { get; set; } = 10;

    public KubeconfigPolicy ToPolicy() => new()
    {
        AllowedExecCommands = [.. AllowedExecCommands],
        AllowInsecureHttp = AllowInsecureHttp,
        AllowInsecureSkipTlsVerify = AllowInsecureSkipTlsVerify,
    };

    public TimeSpan StageTimeout => TimeSpan.FromSeconds(Math.Max(1, StageTimeoutSeconds));

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(Math.Max(1, RequestTimeoutSeconds));
}
