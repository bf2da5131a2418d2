using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>
/// Where the client sidecar's listeners send a connection: a service's cluster, or out to the original destination (through the HTTP
/// listener's catch-all virtual host when <see cref="Http"/>), unless REGISTRY_ONLY sends it to the BlackHole.
/// </summary>
internal sealed record OutboundRoute(MeshService? Service, bool Http, bool RegistryOnly, string Explanation);

/// <summary>
/// The client sidecar's outbound listeners (<c>pilot/pkg/networking/core/listener.go</c>, <c>httproute.go</c>): a TCP port of a visible
/// service listens on its address:port; an HTTP port listens on 0.0.0.0:port and routes by the Host header among the virtual hosts
/// of every visible service with that port (FQDN, <c>name.ns.svc</c>, <c>name.ns</c>, <c>name</c> in its own namespace, its addresses);
/// an unknown Host hits the catch-all virtual host (<c>buildCatchAllVirtualHost</c>): <c>allow_any</c> → PassthroughCluster (the
/// original destination) by default, <c>block_all</c> (502) with <c>outboundTrafficPolicy.mode: REGISTRY_ONLY</c> in the mesh config or
/// the pod's Sidecar. A port no visible service uses goes through the PassthroughCluster (or BlackHole) as TCP.
/// </summary>
internal static class Outbound
{
    public static OutboundRoute Route(PushContext config, PodInfo pod, string address, int port, string hostHeader)
    {
        var visible = config.Services.Values.Where(s => s.HasPort(port) && Visibility.Visible(config, pod, s)).ToList();
        var registryOnly = (Visibility.SidecarFor(config, pod).Str("spec", "outboundTrafficPolicy", "mode") ?? config.Mesh.OutboundTrafficPolicy) == "REGISTRY_ONLY";
        var tcp = visible.FirstOrDefault(s => !s.IsHttpPort(port) && s.Vips.Contains(address));
        if (tcp is not null)
        {
            return new OutboundRoute(tcp, false, registryOnly, $"TCP listener {address}:{port} of {tcp.Hostname}");
        }

        var http = visible.Where(s => s.IsHttpPort(port)).ToList();
        if (http.Count == 0)
        {
            return new OutboundRoute(null, false, registryOnly, $"the sidecar has no listener for port {port} of a service it knows, so {(registryOnly ? "REGISTRY_ONLY sends it to the BlackHoleCluster" : $"the PassthroughCluster sends it to {address}:{port}")}");
        }

        var host = StripPort(hostHeader).ToLowerInvariant();
        var match = http.FirstOrDefault(s => Domains(s, pod.Namespace).Contains(host));
        return match is null
            ? new OutboundRoute(null, true, registryOnly, $"no virtual host for Host {host} on the sidecar's HTTP listener 0.0.0.0:{port}, so the catch-all {(registryOnly ? "block_all route answers 502" : $"allow_any route sends it to {address}:{port}")}")
            : new OutboundRoute(match, true, registryOnly, $"HTTP route {host}:{port} → {match.Hostname}");
    }

    private static IEnumerable<string> Domains(MeshService service, string clientNamespace)
    {
        yield return service.Hostname;
        foreach (var vip in service.Vips)
        {
            yield return vip;
        }

        if (service.ServiceEntry is not null || service.ClusterSet)
        {
            yield break;
        }

        yield return $"{service.Name}.{service.Namespace}.svc";
        yield return $"{service.Name}.{service.Namespace}";
        if (service.Namespace == clientNamespace)
        {
            yield return service.Name;
        }
    }

    public static string StripPort(string hostHeader)
    {
        var colon = hostHeader.LastIndexOf(':');
        return colon > 0 && !hostHeader.EndsWith(']') ? hostHeader[..colon] : hostHeader;
    }
}
