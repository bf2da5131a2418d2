using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>A ServiceEntry endpoint that is some cluster's ingress gateway; <see cref="PortIsPassthrough"/> when it hits the 15443 port.</summary>
internal sealed record GatewayHit(IMeshClusterView Cluster, bool PortIsPassthrough, string Explanation);

/// <summary>
/// Finds which simulated cluster's <c>istio-system/istio-ingressgateway</c> an address belongs to: a
/// <c>status.loadBalancer.ingress[].ip|hostname</c> or <c>spec.externalIPs</c> entry (then the port must be the Service's
/// 15443/<c>tls</c> port), or the <c>status.hostIP</c> of a gateway pod (then the port must be that port's nodePort).
/// </summary>
internal static class GatewayLocator
{
    public const int PassthroughPort = 15443;

    public static GatewayHit? Find(IMeshView mesh, string address, int port)
    {
        var services = mesh.Clusters
            .Select(c => (Cluster: c, Service: c.Get("", "services", "istio-system", "istio-ingressgateway")))
            .Where(x => x.Service is not null)
            .ToList();
        foreach (var (cluster, service) in services)
        {
            var front = service.Objects("status", "loadBalancer", "ingress").SelectMany(i => new[] { i.Str("ip"), i.Str("hostname") })
                .Concat(service.Strings("spec", "externalIPs"));
            if (front.Any(a => a is not null && string.Equals(a, address, StringComparison.OrdinalIgnoreCase)))
            {
                var tls = TlsPort(service!);
                return new GatewayHit(cluster, tls.Port == port,
                    $"{address} is the load balancer of {cluster.Name}'s ingress gateway; its passthrough port is {tls.Port?.ToString() ?? "missing"}");
            }
        }

        foreach (var (cluster, service) in services)
        {
            var hostIps = PodFacts.SelectedBy(cluster, service!).Select(p => p.Str("status", "hostIP"));
            if (hostIps.Contains(address))
            {
                var tls = TlsPort(service!);
                return new GatewayHit(cluster, tls.NodePort == port,
                    $"{address} is a node of {cluster.Name}'s ingress gateway; the passthrough nodePort is {tls.NodePort?.ToString() ?? "missing"}");
            }
        }

        return null;
    }

    private static (long? Port, long? NodePort) TlsPort(JsonObject service)
    {
        var port = service.Objects("spec", "ports").FirstOrDefault(p => p.Num("port") == PassthroughPort)
            ?? service.Objects("spec", "ports").FirstOrDefault(p => p.Str("name") == "tls");
        return (port?.Num("port"), port?.Num("nodePort"));
    }
}
