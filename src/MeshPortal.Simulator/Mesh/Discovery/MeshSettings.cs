using System.Net;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Discovery;

/// <summary>One network of <c>meshNetworks</c>: which registries/CIDRs are in it and its gateways.</summary>
internal sealed record MeshNetwork(string Name, IReadOnlyList<string> FromRegistries, IReadOnlyList<string> FromCidrs,
    IReadOnlyList<(string? RegistryServiceName, string? Address, int Port)> Gateways);

/// <summary>
/// The parts of istiod's mesh config (the <c>istio</c> ConfigMap of its revision) the data plane depends on: trust domain, auto mTLS,
/// root namespace, <c>serviceSettings</c> (cluster-local hosts, with istiod's defaults <c>*.kube-system.svc.cluster.local</c>,
/// <c>kubernetes.default.svc.cluster.local</c> and its own discovery host, <c>pilot/pkg/model/cluster_local.go</c>) and meshNetworks.
/// </summary>
internal sealed class MeshSettings
{
    public string TrustDomain { get; private init; } = "cluster.local";

    public bool AutoMtls { get; private init; } = true;

    public string RootNamespace { get; private init; } = "istio-system";

    /// <summary><c>outboundTrafficPolicy.mode</c>: ALLOW_ANY (default) or REGISTRY_ONLY.</summary>
    public string OutboundTrafficPolicy { get; private init; } = "ALLOW_ANY";

    public IReadOnlyList<MeshNetwork> Networks { get; private init; } = [];

    private IReadOnlyList<(string Host, bool Local)> ClusterLocal { get; init; } = [];

    public static MeshSettings Read(ClusterSnapshot snapshot, string revision, string istiodName)
    {
        var mesh = MeshConfigYaml.Parse(snapshot.MeshConfig(revision));
        var defaults = new List<string> { "*.kube-system.svc.cluster.local", "kubernetes.default.svc.cluster.local", $"{istiodName}.istio-system.svc.cluster.local" };
        var settings = mesh.Objects("serviceSettings").ToList();
        foreach (var s in settings.Where(s => s.Str("settings", "clusterLocal") != "true"))
        {
            foreach (var h in s.Strings("hosts"))
            {
                defaults.RemoveAll(d => d == h || (d.StartsWith('*') && h.EndsWith(d[1..], StringComparison.OrdinalIgnoreCase)));
            }
        }

        var local = settings.SelectMany(s => s.Strings("hosts").Select(h => (h, s.Str("settings", "clusterLocal") == "true")))
            .Concat(defaults.Select(d => (d, true))).ToList();
        return new MeshSettings
        {
            TrustDomain = mesh.Str("trustDomain") ?? "cluster.local",
            AutoMtls = mesh.Str("enableAutoMtls") != "false",
            RootNamespace = mesh.Str("rootNamespace") ?? "istio-system",
            OutboundTrafficPolicy = mesh.Str("outboundTrafficPolicy", "mode") ?? "ALLOW_ANY",
            ClusterLocal = local,
            Networks = ReadNetworks(MeshConfigYaml.Parse(snapshot.MeshNetworks(revision))),
        };
    }

    /// <summary>Whether a host stays in its own cluster: the most specific serviceSettings host wins (<c>MostSpecificHostMatch</c>).</summary>
    public bool IsClusterLocal(string host)
    {
        (string Host, bool Local)? best = null;
        foreach (var entry in ClusterLocal)
        {
            if (HostMatch.Matches(entry.Host, host) && (best is null || HostMatch.MoreSpecific(entry.Host, best.Value.Host)))
            {
                best = entry;
            }
        }

        return best?.Local ?? false;
    }

    /// <summary>The meshNetworks network of an endpoint of registry <paramref name="clusterId"/> at <paramref name="ip"/>, or null.</summary>
    public string? NetworkFor(string clusterId, string? ip)
    {
        foreach (var network in Networks.Where(n => n.FromRegistries.Contains(clusterId)))
        {
            return network.Name;
        }

        if (ip is not null && IPAddress.TryParse(ip, out var address))
        {
            foreach (var network in Networks)
            {
                if (network.FromCidrs.Any(c => InCidr(address, c)))
                {
                    return network.Name;
                }
            }
        }

        return null;
    }

    private static IReadOnlyList<MeshNetwork> ReadNetworks(JsonNode? doc) =>
        doc.At("networks") is JsonObject networks
            ? [.. networks.Select(kv => new MeshNetwork(kv.Key,
                [.. kv.Value.Objects("endpoints").Select(e => e.Str("fromRegistry")).OfType<string>()],
                [.. kv.Value.Objects("endpoints").Select(e => e.Str("fromCidr")).OfType<string>()],
                [.. kv.Value.Objects("gateways").Select(g => (g.Str("registryServiceName"), g.Str("address"), (int)(g.Num("port") ?? 15443)))]))]
            : [];

    private static bool InCidr(IPAddress address, string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var network) || !int.TryParse(cidr[(slash + 1)..], out var bits)
            || network.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xff : (byte)(0xff << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Istio's host name matching (<c>pkg/config/host</c>): exact, or <c>*</c>/<c>*.suffix</c> wildcards.</summary>
internal static class HostMatch
{
    /// <summary>Whether <paramref name="host"/> falls under <paramref name="pattern"/> (<c>host.Name.SubsetOf</c> for a concrete host).</summary>
    public static bool Matches(string pattern, string host)
    {
        if (pattern == "*")
        {
            return true;
        }

        return pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    public static bool MoreSpecific(string a, string b)
    {
        var aWild = a.StartsWith('*');
        var bWild = b.StartsWith('*');
        return aWild != bWild ? !aWild : a.Length > b.Length;
    }

    /// <summary>The name part of a Gateway/Sidecar host (<c>ns/name</c> → name).</summary>
    public static string NamePart(string host)
    {
        var slash = host.IndexOf('/');
        return slash >= 0 ? host[(slash + 1)..] : host;
    }
}
