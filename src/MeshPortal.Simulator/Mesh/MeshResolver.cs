using System.Net;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// The DNS step, as seen from a pod in the source cluster:
/// cluster-local service names (<c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc</c>, <c>svc.ns.svc.cluster.local</c>) resolve when the
/// Service exists; <c>*.global</c> names resolve when a ServiceEntry lists the host with an address AND either the
/// cluster DNS delegates <c>global</c> to the istiocoredns ClusterIP, or the pod's sidecar agent proxies DNS (1.8+).
/// A broken DNS fault leaves only pod-local names and IP literals.
/// </summary>
internal static class MeshResolver
{
    public static Resolution Resolve(IMeshClusterView cluster, JsonObject pod, string host)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }

        if (IPAddress.TryParse(name, out var ip))
        {
            return ResolveAddress(cluster, pod, ip);
        }

        if (name == "localhost" || name == PodFacts.Hostname(pod).ToLowerInvariant())
        {
            return new Resolution(ResolutionKind.PodLocal, name == "localhost" ? "127.0.0.1" : PodFacts.PodIp(pod) ?? "127.0.0.1", "pod-local name");
        }

        if (cluster.DnsBroken)
        {
            return Resolution.Unresolved($"DNS in cluster {cluster.Name} is broken (fault)");
        }

        return name.EndsWith(".global", StringComparison.Ordinal)
            ? ResolveGlobal(cluster, pod, name)
            : ResolveClusterLocal(cluster, pod, name);
    }

    private static Resolution ResolveClusterLocal(IMeshClusterView cluster, JsonObject pod, string name)
    {
        var labels = name.Split('.');
        (string Svc, string Ns)? target = labels.Length switch
        {
            1 => (labels[0], pod.Namespace()),
            2 => (labels[0], labels[1]),
            3 when labels[2] == "svc" => (labels[0], labels[1]),
            5 when labels[2] == "svc" && labels[3] == "cluster" && labels[4] == "local" => (labels[0], labels[1]),
            _ => null,
        };
        if (target is null)
        {
            return Resolution.Unresolved($"{name} is not a cluster-local service name and not a .global name");
        }

        var service = cluster.Get("", "services", target.Value.Ns, target.Value.Svc);
        if (service is null)
        {
            return Resolution.Unresolved($"no Service {target.Value.Ns}/{target.Value.Svc} in cluster {cluster.Name}");
        }

        return new Resolution(ResolutionKind.ClusterService, service.Str("spec", "clusterIP") ?? "10.96.0.1",
            $"Service {target.Value.Ns}/{target.Value.Svc}") { Service = service };
    }

    private static Resolution ResolveGlobal(IMeshClusterView cluster, JsonObject pod, string name)
    {
        var sidecar = PodFacts.HasSidecar(pod);
        var capture = sidecar && IstioFeatures.ProxyMetadataFlag(cluster, pod, IstioFeatures.DnsCapture);
        var autoAllocate = capture && IstioFeatures.ProxyMetadataFlag(cluster, pod, IstioFeatures.DnsAutoAllocate);
        var coreDnsIp = cluster.Get("", "services", "istio-system", "istiocoredns").Str("spec", "clusterIP");
        var forwarders = DnsConfig.GlobalForwarders(cluster);
        var stub = coreDnsIp is not null && coreDnsIp != "None" && forwarders.Contains(coreDnsIp);
        if (!capture && !stub)
        {
            var why = forwarders.Count == 0
                ? "the cluster DNS has no stub domain for 'global' (kube-dns stubDomains or a CoreDNS global:53 block)"
                : $"the cluster DNS sends 'global' to {string.Join(", ", forwarders)}, which is not the istiocoredns ClusterIP ({coreDnsIp ?? "no istiocoredns Service"})";
            return Resolution.Unresolved(why + " and the sidecar does not proxy DNS");
        }

        // istiocoredns serves every ServiceEntry of the cluster; the agent only those exported to the pod's namespace.
        var entries = cluster.List("networking.istio.io", "serviceentries")
            .Where(se => se.Strings("spec", "hosts").Any(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)))
            .Where(se => stub || IsVisible(se, pod.Namespace()))
            .OrderBy(se => se.Namespace(), StringComparer.Ordinal).ThenBy(se => se.Name(), StringComparer.Ordinal)
            .ToList();
        if (entries.Count == 0)
        {
            return Resolution.Unresolved($"no ServiceEntry for {name} in cluster {cluster.Name}");
        }

        foreach (var se in entries)
        {
            var address = se.Strings("spec", "addresses").Select(HostAddress).FirstOrDefault(a => a is not null);
            if (address is not null)
            {
                return new Resolution(ResolutionKind.ServiceEntry, address, $"ServiceEntry {se.Namespace()}/{se.Name()} address {address}") { ServiceEntry = se };
            }
        }

        if (autoAllocate && IsVisible(entries[0], pod.Namespace()))
        {
            var auto = AutoAllocated(name);
            return new Resolution(ResolutionKind.ServiceEntry, auto, $"ServiceEntry {entries[0].Namespace()}/{entries[0].Name()} auto-allocated {auto}") { ServiceEntry = entries[0] };
        }

        return Resolution.Unresolved($"ServiceEntry {entries[0].Namespace()}/{entries[0].Name()} for {name} has no addresses");
    }

    private static Resolution ResolveAddress(IMeshClusterView cluster, JsonObject pod, IPAddress ip)
    {
        var text = ip.ToString();
        if (IPAddress.IsLoopback(ip) || text == PodFacts.PodIp(pod))
        {
            return new Resolution(ResolutionKind.PodLocal, text, "pod-local address");
        }

        var service = cluster.List("", "services").FirstOrDefault(s => s.Str("spec", "clusterIP") == text);
        if (service is not null)
        {
            return new Resolution(ResolutionKind.ClusterService, text, $"ClusterIP of Service {service.Namespace()}/{service.Name()}") { Service = service };
        }

        var se = cluster.List("networking.istio.io", "serviceentries")
            .FirstOrDefault(e => IsVisible(e, pod.Namespace()) && e.Strings("spec", "addresses").Select(HostAddress).Contains(text));
        return se is not null
            ? new Resolution(ResolutionKind.ServiceEntry, text, $"address of ServiceEntry {se.Namespace()}/{se.Name()}") { ServiceEntry = se }
            : new Resolution(ResolutionKind.IpLiteral, text, "an address unknown to the cluster");
    }

    /// <summary>exportTo: absent or "*" = everywhere; "." = own namespace; otherwise the listed namespaces.</summary>
    public static bool IsVisible(JsonObject serviceEntry, string podNamespace)
    {
        var exportTo = serviceEntry.Strings("spec", "exportTo").ToList();
        return exportTo.Count == 0
            || exportTo.Contains("*")
            || exportTo.Contains(podNamespace)
            || (exportTo.Contains(".") && serviceEntry.Namespace() == podNamespace);
    }

    /// <summary>A host address (an IP, or a /32 /128 CIDR); wider CIDR ranges do not resolve (istiocoredns plugin).</summary>
    private static string? HostAddress(string address)
    {
        var slash = address.IndexOf('/');
        var ipText = slash < 0 ? address : address[..slash];
        if (!IPAddress.TryParse(ipText, out var ip))
        {
            return null;
        }

        if (slash >= 0 && address[(slash + 1)..] != (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "128" : "32"))
        {
            return null;
        }

        return ip.ToString();
    }

    private static string AutoAllocated(string host)
    {
        var hash = (uint)StableHash.Of(host);
        return $"240.240.{(hash >> 8) & 0xff}.{Math.Max(1, hash & 0xff)}";
    }
}
