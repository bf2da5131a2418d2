using System.Net;
using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>The DNS step's answer: the address a name resolves to and who answered, or why it does not resolve.</summary>
internal sealed record Resolution(string? Address, string Explanation, bool PodLocal = false)
{
    public bool Resolved => Address is not null;

    public static Resolution Unresolved(string why) => new(null, why);
}

/// <summary>
/// Name resolution in a pod:
/// <list type="bullet">
/// <item>The sidecar agent's DNS proxy first, when it captures DNS (<c>ISTIO_META_DNS_CAPTURE=true</c> in the istio-proxy env, Istio 1.8+)
/// and has config: every service host its istiod pushed to the pod's namespace (Kubernetes Services of every registry it reads, under
/// <c>name</c>/<c>name.ns</c>/<c>name.ns.svc</c>/FQDN, MCS <c>clusterset.local</c> hosts, ServiceEntry hosts with an address, or an
/// auto-allocated one with <c>ISTIO_META_DNS_AUTO_ALLOCATE</c>). Names it does not know go on to the cluster DNS.</item>
/// <item>The cluster DNS: Services of this cluster by the search path; <c>*.global</c> through a kube-dns <c>stubDomains</c> entry or a
/// CoreDNS <c>global:53</c> block forwarding to a running istiocoredns, which serves every ServiceEntry host with an address.</item>
/// </list>
/// </summary>
internal static class Dns
{
    public static Resolution Resolve(SimulatedCluster cluster, ClusterSnapshot snapshot, PodInfo pod, PushContext? config, string host)
    {
        var name = host.TrimEnd('.').ToLowerInvariant();
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }

        if (IPAddress.TryParse(name, out var ip))
        {
            return new Resolution(ip.ToString(), "an IP address", IPAddress.IsLoopback(ip) || ip.ToString() == pod.Ip);
        }

        if (name == "localhost" || name == pod.Hostname.ToLowerInvariant())
        {
            return new Resolution(name == "localhost" ? "127.0.0.1" : pod.Ip ?? "127.0.0.1", "pod-local name", true);
        }

        if (cluster.Faults.DnsBroken)
        {
            return Resolution.Unresolved($"DNS in cluster {cluster.Name} is broken (fault)");
        }

        string? agentWhy = null;
        if (config is not null && Captures(config, pod))
        {
            var answer = Agent(config, pod, name);
            if (answer.Resolved)
            {
                return answer;
            }

            agentWhy = answer.Explanation;
        }

        var kube = ClusterDns(snapshot, pod, name);
        if (kube.Resolved || agentWhy is null)
        {
            return kube;
        }

        return Resolution.Unresolved($"{agentWhy}; {kube.Explanation}");
    }

    /// <summary>Whether the pod's agent proxies DNS: read from its istio-proxy env, set at injection from the mesh config and the pod's annotation.</summary>
    public static bool Captures(PushContext config, PodInfo pod) =>
        pod.HasSidecar && IstioReleases.HasDnsCapture(config.Version)
        && string.Equals(pod.ProxyEnv.GetValueOrDefault(IstioFeatures.DnsCapture), "true", StringComparison.OrdinalIgnoreCase);

    private static Resolution Agent(PushContext config, PodInfo pod, string name)
    {
        foreach (var candidate in AgentNames(name, pod.Namespace))
        {
            if (config.Service(candidate) is not { } service || !Visibility.Visible(config, pod, service))
            {
                continue;
            }

            if (service.ServiceEntry is { } se)
            {
                if (se.Strings("spec", "addresses").Select(HostAddress).FirstOrDefault(a => a is not null) is { } address)
                {
                    return new Resolution(address, $"the sidecar's DNS proxy: ServiceEntry {se.Namespace()}/{se.Name()} address {address}");
                }

                if (string.Equals(pod.ProxyEnv.GetValueOrDefault(IstioFeatures.DnsAutoAllocate), "true", StringComparison.OrdinalIgnoreCase))
                {
                    var auto = AutoAllocated(service.Hostname);
                    return new Resolution(auto, $"the sidecar's DNS proxy: ServiceEntry {se.Namespace()}/{se.Name()} auto-allocated {auto}");
                }

                return Resolution.Unresolved($"ServiceEntry {se.Namespace()}/{se.Name()} for {name} has no addresses (and no auto-allocation)");
            }

            if (service.ClusterSet)
            {
                var auto = AutoAllocated(service.Hostname);
                return new Resolution(auto, $"the sidecar's DNS proxy: MCS host {service.Hostname} ({auto})");
            }

            var vip = service.Instances.FirstOrDefault(i => i.Registry.Local).Service?.ClusterIp ?? service.Vips.FirstOrDefault();
            if (vip is not null)
            {
                return new Resolution(vip, $"the sidecar's DNS proxy: {service.Hostname} from {string.Join(", ", service.Instances.Select(i => i.Registry.ClusterId))}");
            }
        }

        return Resolution.Unresolved($"the sidecar's DNS proxy knows no service {name}");
    }

    private static IEnumerable<string> AgentNames(string name, string ns)
    {
        yield return name;
        var labels = name.Split('.');
        switch (labels.Length)
        {
            case 1:
                yield return $"{name}.{ns}.svc.cluster.local";
                break;
            case 2:
                yield return $"{name}.svc.cluster.local";
                break;
            case 3 when labels[2] == "svc":
                yield return $"{name}.cluster.local";
                break;
        }
    }

    private static Resolution ClusterDns(ClusterSnapshot snapshot, PodInfo pod, string name)
    {
        if (name.EndsWith(".global", StringComparison.Ordinal))
        {
            return Global(snapshot, name);
        }

        var labels = name.Split('.');
        (string Svc, string Ns)? target = labels.Length switch
        {
            1 => (labels[0], pod.Namespace),
            2 => (labels[0], labels[1]),
            3 when labels[2] == "svc" => (labels[0], labels[1]),
            5 when labels[2] == "svc" && labels[3] == "cluster" && labels[4] == "local" => (labels[0], labels[1]),
            _ => null,
        };
        if (target is null)
        {
            return Resolution.Unresolved($"{name} is not a name the cluster DNS serves");
        }

        if (snapshot.Service(target.Value.Ns, target.Value.Svc) is not { } service)
        {
            return Resolution.Unresolved($"no Service {target.Value.Ns}/{target.Value.Svc} in cluster {snapshot.Cluster.Name}");
        }

        if (service.ClusterIp is null or "None")
        {
            var ip = snapshot.Endpoints(service).FirstOrDefault(p => p.Ready && p.Ip is not null)?.Ip;
            return ip is null
                ? Resolution.Unresolved($"headless Service {service.Key} has no ready pods")
                : new Resolution(ip, $"headless Service {service.Key} (a pod address)");
        }

        return new Resolution(service.ClusterIp, $"the cluster DNS: Service {service.Key}");
    }

    private static Resolution Global(ClusterSnapshot snapshot, string name)
    {
        var coreDns = snapshot.Service("istio-system", "istiocoredns");
        var coreDnsIp = coreDns?.ClusterIp;
        var forwarders = DnsConfig.GlobalForwarders(snapshot);
        if (coreDnsIp is null or "None" || !forwarders.Contains(coreDnsIp))
        {
            var why = forwarders.Count == 0
                ? "the cluster DNS has no stub domain for 'global' (kube-dns stubDomains or a CoreDNS global:53 block)"
                : $"the cluster DNS sends 'global' to {string.Join(", ", forwarders)}, which is not the istiocoredns ClusterIP ({coreDnsIp ?? "no istiocoredns Service"})";
            return Resolution.Unresolved(why + " and the sidecar does not proxy DNS");
        }

        if (!snapshot.Endpoints(coreDns!).Any(p => p.Ready))
        {
            return Resolution.Unresolved("the cluster DNS forwards 'global' to istiocoredns, which has no ready pod");
        }

        // istiocoredns serves every ServiceEntry of the cluster, whatever its exportTo.
        var entries = snapshot.ServiceEntries
            .Where(se => se.Strings("spec", "hosts").Any(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(se => se.Namespace(), StringComparer.Ordinal).ThenBy(se => se.Name(), StringComparer.Ordinal)
            .ToList();
        if (entries.Count == 0)
        {
            return Resolution.Unresolved($"istiocoredns has no ServiceEntry for {name} in cluster {snapshot.Cluster.Name}");
        }

        foreach (var se in entries)
        {
            if (se.Strings("spec", "addresses").Select(HostAddress).FirstOrDefault(a => a is not null) is { } address)
            {
                return new Resolution(address, $"istiocoredns: ServiceEntry {se.Namespace()}/{se.Name()} address {address}");
            }
        }

        return Resolution.Unresolved($"ServiceEntry {entries[0].Namespace()}/{entries[0].Name()} for {name} has no addresses");
    }

    /// <summary>A host address (an IP, or a /32 /128 CIDR); wider ranges do not resolve.</summary>
    public static string? HostAddress(string address)
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

    public static string AutoAllocated(string host)
    {
        var hash = (uint)StableHash.Of(host);
        return $"240.240.{(hash >> 8) & 0xff}.{Math.Max(1, hash & 0xff)}";
    }
}
