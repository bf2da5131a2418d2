using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>
/// <c>EndpointsByNetworkFilter</c> (<c>pilot/pkg/xds/endpoints/ep_filters.go</c>@1.24.0): without network gateways every endpoint is
/// used directly. Otherwise an endpoint is direct when it is on the proxy's network (either side unset counts as the same) or its
/// network has no gateway; an endpoint of another network is reached through that network's gateway(s) (for its cluster first), only
/// with Istio mTLS (SNI routing needs it). A gateway with <c>ISTIO_META_REQUESTED_NETWORK_VIEW</c> sees only those networks.
/// Endpoints of the proxy's own cluster come first; the first one that works wins.
/// </summary>
internal static class NetworkFilter
{
    public static string ProxyNetwork(PodInfo pod) =>
        pod.ProxyEnv.GetValueOrDefault("ISTIO_META_NETWORK") ?? pod.Labels.GetValueOrDefault("topology.istio.io/network") ?? "";

    public static IReadOnlyList<MeshEndpoint> Apply(PushContext config, PodInfo proxy, IReadOnlyList<MeshEndpoint> endpoints, Func<MeshEndpoint, bool> istioMtls)
    {
        var network = ProxyNetwork(proxy);
        var view = proxy.ProxyEnv.GetValueOrDefault("ISTIO_META_REQUESTED_NETWORK_VIEW")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new List<MeshEndpoint>();
        var viaGateways = new List<MeshEndpoint>();
        foreach (var ep in endpoints)
        {
            if (view is { Length: > 0 } && ep.Network.Length > 0 && !view.Contains(ep.Network))
            {
                continue;
            }

            var gateways = config.NetworkGateways.Where(g => g.Network == ep.Network && g.ClusterId == ep.ClusterId).ToList();
            if (gateways.Count == 0)
            {
                gateways = [.. config.NetworkGateways.Where(g => g.Network == ep.Network)];
            }

            if (!config.MultiNetwork || network.Length == 0 || ep.Network.Length == 0 || ep.Network == network || gateways.Count == 0)
            {
                result.Add(ep);
                continue;
            }

            if (!istioMtls(ep))
            {
                continue;
            }

            foreach (var gw in gateways.Where(g => viaGateways.All(v => v.Gateway != g)))
            {
                viaGateways.Add(new MeshEndpoint(gw.Address, gw.Port, gw.Network, gw.ClusterId, true) { Gateway = gw });
            }
        }

        return [.. result.OrderBy(e => e.ClusterId == config.ClusterId ? 0 : 1), .. viaGateways];
    }
}
