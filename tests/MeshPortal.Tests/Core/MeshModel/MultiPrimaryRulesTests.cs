using MeshPortal.Core.Features.MeshModel;

namespace MeshPortal.Tests.Core.MeshModel;

[Trait("Speed", "Fast")]
public sealed class MultiPrimaryRulesTests
{
    private static MeshFacts Modern(string clusterId, string? meshId = "mesh1", string? network = null) =>
        new() { IstioVersion = "1.24.0", IstioClusterId = clusterId, MeshId = meshId, Network = network };

    [Fact]
    public void Istio168_PredatesMultiPrimary()
    {
        var verdict = MultiPrimaryRules.Decide(new MeshFacts { IstioVersion = "1.6.8", IstioClusterId = "c1" });
        Assert.False(verdict.Supported);
        Assert.Contains(".global", verdict.Reason);
    }

    [Fact]
    public void NoClusterId_CannotJoin()
    {
        var verdict = MultiPrimaryRules.Decide(new MeshFacts { IstioVersion = "1.24.0" });
        Assert.False(verdict.Supported);
        Assert.Contains("clusterName", verdict.Hint);
    }

    [Fact]
    public void Modern_CanJoin_AndSaysWhatItRead()
    {
        var verdict = MultiPrimaryRules.Decide(Modern("cluster-2") with { McsServiceDiscovery = true, McsHost = true });
        Assert.True(verdict.Supported);
        Assert.Contains("cluster ID cluster-2", verdict.Reason);
        Assert.Contains("clusterset.local", verdict.Reason);
    }

    [Fact]
    public void DuplicateClusterIds_AreNamed_WithTheChartDefaultHint()
    {
        var problems = MultiPrimaryRules.MeshProblems(
        [
            new MeshMember("a", Modern(MultiPrimaryRules.DefaultClusterId), null),
            new MeshMember("b", Modern(MultiPrimaryRules.DefaultClusterId), null),
            new MeshMember("c", Modern("c"), null),
        ]);
        Assert.Contains(problems["a"], p => p.Contains("shared by a, b") && p.Contains("clusterName"));
        Assert.Empty(problems["c"]);
    }

    [Fact]
    public void MeshIdDisagreement_AndMissingNetworkOnSeveralNetworks_AreProblems()
    {
        var problems = MultiPrimaryRules.MeshProblems(
        [
            new MeshMember("a", Modern("a", "mesh1"), "net1"),
            new MeshMember("b", Modern("b", "mesh2"), "net2"),
            new MeshMember("c", Modern("c", "mesh1"), null),
        ]);
        Assert.Contains(problems["a"], p => p.Contains("mesh ID"));
        Assert.Contains(problems["c"], p => p.Contains("has none"));
        Assert.DoesNotContain(problems["a"], p => p.Contains("has none"));
    }
}
