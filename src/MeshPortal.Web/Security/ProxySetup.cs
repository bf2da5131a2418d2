using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MeshPortal.Web.Security;

/// <summary>
/// The <c>MeshPortal:Proxies</c> section: the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed.
/// Empty (default): the headers are ignored, so nobody can fake a client address in the audit log. When set, the client
/// address and the scheme come from the proxy, so the audit log shows the real client and the auth cookie is Secure
/// behind an HTTPS proxy.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "MeshPortal:Proxies";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>172.28.0.0/16</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

public static class ProxySetup
{
    /// <summary>Forwarded-header options trusting exactly the configured proxies (not loopback by default).</summary>
    /// <exception cref="Hosting.StartupRefusedException">An entry is not an address or a CIDR network.</exception>
    public static ForwardedHeadersOptions Build(ProxyOptions proxies)
    {
        ArgumentNullException.ThrowIfNull(proxies);
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in proxies.KnownProxies)
        {
            options.KnownProxies.Add(IPAddress.TryParse(entry.Trim(), out var ip) ? ip
                : throw new Hosting.StartupRefusedException($"MeshPortal:Proxies:KnownProxies has '{entry}', which is not an IP address (e.g. 10.0.0.5)."));
        }

        foreach (var entry in proxies.KnownNetworks)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(entry.Trim(), out var network) ? network
                : throw new Hosting.StartupRefusedException($"MeshPortal:Proxies:KnownNetworks has '{entry}', which is not a network in CIDR notation (e.g. 172.28.0.0/16)."));
        }

        return options;
    }
}
