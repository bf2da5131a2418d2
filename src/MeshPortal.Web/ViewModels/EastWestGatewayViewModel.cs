using MeshPortal.Core.Features.MeshModel;

namespace MeshPortal.Web.ViewModels;

/// <summary>What the cluster page's east-west gateway card says: whose gateway is there, and what MeshPortal will do with it.</summary>
public static class EastWestGatewayViewModel
{
    /// <param name="deployed">The cluster asks MeshPortal for its gateway.</param>
    /// <param name="found">The gateway the last check found, if any.</param>
    /// <param name="network">The cluster's network.</param>
    public static string State(bool deployed, EastWestGatewayFacts? found, string? network) => (deployed, found) switch
    {
        (true, { OwnedByMeshPortal: true } gw) => $"MeshPortal deploys and owns it (network {network}){(gw.Address is null ? "; waiting for its load-balancer address" : $", address {gw.Address}")}.",
        (true, { OwnedByMeshPortal: false }) => "Requested, but a gateway installed without MeshPortal is there: it is used as it is and never overwritten.",
        (true, null) => $"Requested (network {network}): written on the next push, seen by the next check.",
        (false, { OwnedByMeshPortal: false } gw) => $"Installed without MeshPortal ({gw.ServiceName}, network {gw.Network ?? "none"}): used as it is.",
        (false, { OwnedByMeshPortal: true }) => "MeshPortal's gateway is being removed (pruned on the next push).",
        _ => "None. Clusters on other networks reach this cluster's services only through one: deploy it here (Istio's gateway chart, as gen-eastwest-gateway.sh does).",
    };

    /// <summary>The deploy button is offered unless a gateway installed without MeshPortal is there (it is never replaced).</summary>
    public static bool OffersDeploy(bool deployed, EastWestGatewayFacts? found) => !deployed && found is not { OwnedByMeshPortal: false };
}
