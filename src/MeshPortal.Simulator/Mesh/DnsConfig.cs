using System.Text.Json;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// Where a cluster's DNS sends queries for the <c>global</c> domain: the kube-dns <c>stubDomains</c> entry or a CoreDNS
/// <c>global:53 { forward|proxy . IP }</c> server block (the four tabs of the Istio 1.6 multicluster page).
/// When the cluster shows which DNS it runs (a <c>kube-system/coredns</c> or <c>kube-dns</c> deployment), only that
/// server's ConfigMap counts: a kube-dns stub on a CoreDNS cluster does nothing, as on a real one.
/// </summary>
internal static class DnsConfig
{
    public static IReadOnlyList<string> GlobalForwarders(ClusterSnapshot cluster)
    {
        var runsCoreDns = cluster.SystemDeployments.Contains("kube-system/coredns");
        var runsKubeDns = cluster.SystemDeployments.Contains("kube-system/kube-dns");
        var result = new List<string>();
        if (runsKubeDns || !runsCoreDns)
        {
            result.AddRange(StubDomainServers(cluster.ConfigMaps.GetValueOrDefault("kube-system/kube-dns").Str("data", "stubDomains"), "global"));
        }

        if (runsCoreDns || !runsKubeDns)
        {
            result.AddRange(CorefileForwarders(cluster.ConfigMaps.GetValueOrDefault("kube-system/coredns").Str("data", "Corefile"), "global"));
        }

        return result;
    }

    /// <summary>The servers of one domain in a kube-dns <c>stubDomains</c> JSON document, without ports.</summary>
    public static IReadOnlyList<string> StubDomainServers(string? stubDomainsJson, string domain)
    {
        if (string.IsNullOrWhiteSpace(stubDomainsJson))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(stubDomainsJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            return doc.RootElement.EnumerateObject()
                .Where(p => NormalizeZone(p.Name) == domain && p.Value.ValueKind == JsonValueKind.Array)
                .SelectMany(p => p.Value.EnumerateArray())
                .Where(e => e.ValueKind == JsonValueKind.String)
                .Select(e => StripPort(e.GetString()!))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>
    /// The upstreams a Corefile uses for <paramref name="domain"/>: <c>forward</c>/<c>proxy</c> lines with origin
    /// <c>.</c> inside a server block for that zone, or with the domain itself as origin in any block.
    /// </summary>
    public static IReadOnlyList<string> CorefileForwarders(string? corefile, string domain)
    {
        var result = new List<string>();
        foreach (var block in CorefileBlocks.Parse(corefile ?? ""))
        {
            var blockIsForDomain = block.Zones.Any(z => NormalizeZone(z) == domain);
            foreach (var line in block.Lines)
            {
                if (line.Length < 3 || line[0] is not ("forward" or "proxy"))
                {
                    continue;
                }

                var origin = NormalizeZone(line[1]);
                if ((origin == "." && blockIsForDomain) || origin == domain)
                {
                    result.AddRange(line.Skip(2).TakeWhile(t => t != "{").Select(StripPort));
                }
            }
        }

        return result;
    }

    private static string NormalizeZone(string zone)
    {
        var z = zone.Trim().ToLowerInvariant();
        if (z.StartsWith("dns://", StringComparison.Ordinal))
        {
            z = z["dns://".Length..];
        }

        var colon = z.LastIndexOf(':');
        if (colon > 0)
        {
            z = z[..colon];
        }

        return z.Length > 1 ? z.TrimEnd('.') : z;
    }

    private static string StripPort(string server)
    {
        var s = server.Trim();
        if (s.StartsWith("dns://", StringComparison.Ordinal))
        {
            s = s["dns://".Length..];
        }

        var colon = s.LastIndexOf(':');
        return colon > 0 && s.IndexOf(':') == colon ? s[..colon] : s;
    }
}
