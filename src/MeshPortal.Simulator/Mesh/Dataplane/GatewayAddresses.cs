using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>
/// Which cluster's Service an outside address belongs to: a <c>status.loadBalancer.ingress[].ip|hostname</c> or <c>spec.externalIPs</c>
/// entry (then <see cref="Hit.Port"/> must be a Service port), or a node of the cluster (every node answers on every NodePort, so the
/// port must be some NodePort/LoadBalancer Service's nodePort). Any Service can be hit this way: the ingress gateway, the east-west
/// gateway, or another; whether pods behind it are Istio gateways is the caller's question.
/// </summary>
internal static class GatewayAddresses
{
    internal sealed record Hit(SimulatedCluster Cluster, string Address, int Port, KubeService? Service, ServicePort? ServicePort, string Explanation);

    public static Hit? Locate(SimulatedMesh mesh, string address, int port)
    {
        foreach (var cluster in mesh.Clusters)
        {
            var snapshot = cluster.Snapshot();
            if (snapshot.Services.FirstOrDefault(s => s.ExternalAddresses.Contains(address, StringComparer.OrdinalIgnoreCase)) is { } service)
            {
                return new Hit(cluster, address, port, service, service.PortNumbered(port),
                    $"its ports are {string.Join(", ", service.Ports.Select(p => $"{p.Port} ({p.Name})"))}");
            }
        }

        foreach (var cluster in mesh.Clusters)
        {
            var snapshot = cluster.Snapshot();
            if (!snapshot.NodeIps.Contains(address))
            {
                continue;
            }

            foreach (var service in snapshot.Services.Where(s => s.Type is "NodePort" or "LoadBalancer"))
            {
                if (service.Ports.FirstOrDefault(p => p.NodePort == port) is { } nodePort)
                {
                    return new Hit(cluster, address, port, service, nodePort, $"node port {port} of {service.Key}");
                }
            }

            return new Hit(cluster, address, port, null, null, $"{address} is a node of {cluster.Name}, and no Service has node port {port}");
        }

        return null;
    }
}

/// <summary>The SNI-DNAT cluster names Istio uses for passthrough: <c>outbound_.&lt;port&gt;_.&lt;subset&gt;_.&lt;host&gt;</c>.</summary>
internal static class SniCluster
{
    public static (int Port, string Subset, string Host)? Parse(string name)
    {
        var parts = name.Split("_.", 4);
        if (parts.Length != 4 || parts[0] != "outbound" || !int.TryParse(parts[1], out var port))
        {
            return null;
        }

        return (port, parts[2], parts[3]);
    }
}
