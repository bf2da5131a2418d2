namespace MeshPortal.Core.Platform.Kubernetes;

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

    /// <summary>
    /// Networks a kubeconfig <c>server</c> may not point at (the portal would dial them and report TLS details and errors
    /// back: a port scanner for whoever may register clusters). Default: link-local and cloud metadata addresses.
    /// Loopback is not in it by default: the demo and the test suite run their simulated clusters on 127.0.0.1.
    /// </summary>
    public IReadOnlyList<System.Net.IPNetwork> DeniedNetworks { get; init; } = AddressRules.DefaultDenied;
}

/// <summary>Which API server addresses the portal refuses to dial.</summary>
public static class AddressRules
{
    /// <summary>Link-local (incl. 169.254.169.254 of AWS, Azure, GCP, OpenStack), AWS's IPv6 metadata, Alibaba's metadata.</summary>
    public static readonly IReadOnlyList<System.Net.IPNetwork> DefaultDenied =
    [
        System.Net.IPNetwork.Parse("169.254.0.0/16"),
        System.Net.IPNetwork.Parse("fe80::/10"),
        System.Net.IPNetwork.Parse("fd00:ec2::254/128"),
        System.Net.IPNetwork.Parse("100.100.100.200/32"),
        System.Net.IPNetwork.Parse("0.0.0.0/8"),
    ];

    public static readonly IReadOnlyList<System.Net.IPNetwork> Loopback =
        [System.Net.IPNetwork.Parse("127.0.0.0/8"), System.Net.IPNetwork.Parse("::1/128")];

    /// <summary>Host names of cloud metadata services (they resolve to link-local addresses inside the cloud).</summary>
    public static readonly IReadOnlySet<string> MetadataHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
    };

    /// <summary>The denied network (or "cloud metadata host") the server's host falls in; null when it may be dialled.</summary>
    public static string? Denied(Uri server, IReadOnlyList<System.Net.IPNetwork> denied)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(denied);
        var host = server.DnsSafeHost.TrimEnd('.');
        if (MetadataHosts.Contains(host))
            return "a cloud metadata host name";
        if (!System.Net.IPAddress.TryParse(host, out var ip))
            return null;
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        foreach (var network in denied)
        {
            if (network.Contains(ip))
                return network.ToString();
        }

        return null;
    }
}
