using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Controllers;

/// <summary>
/// The cloud provider's service controller: a <c>type: LoadBalancer</c> Service gets an address in
/// <c>status.loadBalancer.ingress</c> (198.18.&lt;cluster&gt;.&lt;n&gt;, from n = 10) and keeps it across updates. A cluster without
/// load balancers (<see cref="SimulatedClusterOptions.GatewayHasLoadBalancer"/> false) leaves them pending, as an on-premises cluster
/// without a load-balancer implementation does. The install's own gateways come with their addresses.
/// </summary>
internal sealed class LoadBalancerController(SimulatedCluster cluster)
{
    private int _next = 10;

    public void Admit(JsonObject? old, JsonObject service)
    {
        if (service.Str("spec", "type") != "LoadBalancer" || service.Objects("status", "loadBalancer", "ingress").Any())
        {
            return;
        }

        var kept = old.At("status", "loadBalancer", "ingress") as JsonArray;
        if (kept is null && !cluster.Options.GatewayHasLoadBalancer)
        {
            return;
        }

        service["status"] = new JsonObject
        {
            ["loadBalancer"] = new JsonObject
            {
                ["ingress"] = kept?.DeepClone() ?? new JsonArray(new JsonObject { ["ip"] = $"198.18.{cluster.Index % 256}.{Interlocked.Increment(ref _next) % 250 + 1}" }),
            },
        };
    }
}
