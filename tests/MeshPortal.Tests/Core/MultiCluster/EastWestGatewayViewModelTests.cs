using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.MultiCluster;

[Trait("Speed", "Fast")]
public sealed class EastWestGatewayViewModelTests
{
    private static readonly EastWestGatewayFacts Ours = new("istio-eastwestgateway", "net2", "203.0.113.9", true, OwnedByMeshPortal: true);
    private static readonly EastWestGatewayFacts Users = new("my-gateway", "net2", "203.0.113.7", true, OwnedByMeshPortal: false);

    [Fact]
    public void A_gateway_installed_without_meshportal_is_used_as_it_is_and_never_offered_for_replacement()
    {
        Assert.Equal("Installed without MeshPortal (my-gateway, network net2): used as it is.", EastWestGatewayViewModel.State(false, Users, "net2"));
        Assert.False(EastWestGatewayViewModel.OffersDeploy(false, Users));
        Assert.StartsWith("Requested, but a gateway installed without MeshPortal is there", EastWestGatewayViewModel.State(true, Users, "net2"));
    }

    [Fact]
    public void Meshportals_gateway_says_its_address_once_known_and_that_it_is_pruned_when_withdrawn()
    {
        Assert.Equal("MeshPortal deploys and owns it (network net2), address 203.0.113.9.", EastWestGatewayViewModel.State(true, Ours, "net2"));
        Assert.EndsWith("waiting for its load-balancer address.", EastWestGatewayViewModel.State(true, Ours with { Address = null }, "net2"));
        Assert.Equal("MeshPortal's gateway is being removed (pruned on the next push).", EastWestGatewayViewModel.State(false, Ours, "net2"));
        Assert.True(EastWestGatewayViewModel.OffersDeploy(false, Ours));
        Assert.False(EastWestGatewayViewModel.OffersDeploy(true, Ours));
    }

    [Fact]
    public void No_gateway_offers_the_deploy_and_a_request_waits_for_the_next_push()
    {
        Assert.StartsWith("None. Clusters on other networks", EastWestGatewayViewModel.State(false, null, "net2"));
        Assert.True(EastWestGatewayViewModel.OffersDeploy(false, null));
        Assert.Equal("Requested (network net2): written on the next push, seen by the next check.", EastWestGatewayViewModel.State(true, null, "net2"));
    }
}
