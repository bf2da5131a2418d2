using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Tests.Admission;

/// <summary>
/// Served versions per Istio release, as <c>crd-all.gen.yaml</c> declares them at each tag (see ResourceCatalog),
/// and the MCS CRDs only when installed.
/// </summary>
public sealed class ServedVersionsTests
{
    [Theory]
    [InlineData("1.6.8", "serviceentries", "v1alpha3,v1beta1")]
    [InlineData("1.9.5", "virtualservices", "v1alpha3,v1beta1")]
    [InlineData("1.21.6", "sidecars", "v1alpha3,v1beta1")]
    [InlineData("1.22.0", "sidecars", "v1alpha3,v1beta1,v1")]
    [InlineData("1.24.0", "destinationrules", "v1alpha3,v1beta1,v1")]
    [InlineData("1.28.0", "envoyfilters", "v1alpha3")]
    public void Networking_versions_follow_the_tag(string istio, string plural, string versions) =>
        Assert.Equal(versions, string.Join(",", new ResourceCatalog(istio).FindByPlural("networking.istio.io", plural)!.Versions));

    [Theory]
    [InlineData("1.6.8", "authorizationpolicies", "v1beta1")]
    [InlineData("1.16.7", "authorizationpolicies", "v1beta1")]
    [InlineData("1.17.0", "authorizationpolicies", "v1beta1,v1")]
    [InlineData("1.18.0", "peerauthentications", "v1beta1")]
    [InlineData("1.22.0", "peerauthentications", "v1beta1,v1")]
    public void Security_versions_follow_the_tag(string istio, string plural, string versions) =>
        Assert.Equal(versions, string.Join(",", new ResourceCatalog(istio).FindByPlural("security.istio.io", plural)!.Versions));

    [Fact]
    public void Authorization_policy_short_name_appears_in_1_22()
    {
        Assert.Empty(new ResourceCatalog("1.21.6").FindByPlural("security.istio.io", "authorizationpolicies")!.ShortNames);
        Assert.Equal(["ap"], new ResourceCatalog("1.22.0").FindByPlural("security.istio.io", "authorizationpolicies")!.ShortNames);
    }

    [Fact]
    public void Mcs_kinds_are_served_only_with_the_crds()
    {
        var without = new ResourceCatalog("1.24.0");
        Assert.Null(without.Find("multicluster.x-k8s.io", "v1alpha1", "serviceexports"));
        Assert.DoesNotContain(without.Groups(), g => g.Group == "multicluster.x-k8s.io");

        var with = new ResourceCatalog("1.24.0", mcsCrdsInstalled: true);
        Assert.NotNull(with.Find("multicluster.x-k8s.io", "v1alpha1", "serviceexports"));
        Assert.NotNull(with.Find("multicluster.x-k8s.io", "v1alpha1", "serviceimports"));
        Assert.Contains(with.Groups(), g => g.Group == "multicluster.x-k8s.io");
    }
}
