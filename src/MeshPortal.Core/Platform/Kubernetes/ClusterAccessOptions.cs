using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>The <c>MeshPortal:Clusters</c> configuration section: what kubeconfigs may do and how long cluster calls may take.</summary>
public sealed class ClusterAccessOptions
{
    public const string Section = "MeshPortal:Clusters";

    /// <summary>Exec credential plugin commands (exact, as written in the kubeconfig) or auth-provider names allowed to run on the portal's host.</summary>
    public List<string> AllowedExecCommands { get; set; } = [];

    public bool AllowInsecureHttp { get; set; }

    public bool AllowInsecureSkipTlsVerify { get; set; }

    /// <summary>Timeout of each stage of the connection check.</summary>
    [Range(1, 300)]
    public int StageTimeoutSeconds { get; set; } = 5;

    /// <summary>Timeout of one request to a cluster's API server.</summary>
    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Refuse API servers on link-local and cloud metadata addresses (<see cref="AddressRules.DefaultDenied"/>). Default true.</summary>
    public bool DenyLinkLocalAndMetadata { get; set; } = true;

    /// <summary>
    /// Refuse loopback API servers (127.0.0.0/8, ::1). Default false only because the demo and the test suite run their
    /// simulated clusters on 127.0.0.1; set it in production, where a loopback "cluster" can only be the portal's own host.
    /// </summary>
    public bool DenyLoopback { get; set; }

    /// <summary>More networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose addresses may not be registered as API servers.</summary>
    public List<string> DeniedNetworks { get; set; } = [];

    public KubeconfigPolicy ToPolicy() => new()
    {
        AllowedExecCommands = [.. AllowedExecCommands],
        AllowInsecureHttp = AllowInsecureHttp,
        AllowInsecureSkipTlsVerify = AllowInsecureSkipTlsVerify,
        DeniedNetworks =
        [
            .. DenyLinkLocalAndMetadata ? AddressRules.DefaultDenied : [],
            .. DenyLoopback ? AddressRules.Loopback : [],
            .. DeniedNetworks.Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var network) ? network
                : throw new InvalidOperationException($"MeshPortal:Clusters:DeniedNetworks has '{n}', which is not a network in CIDR notation (e.g. 10.0.0.0/8).")),
        ],
    };

    public TimeSpan StageTimeout => TimeSpan.FromSeconds(Math.Max(1, StageTimeoutSeconds));

    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(Math.Max(1, RequestTimeoutSeconds));
}
