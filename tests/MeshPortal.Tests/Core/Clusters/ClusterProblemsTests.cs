using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public sealed class ClusterProblemsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);

    private static TopologyCluster Cluster(string name, bool? up = true) =>
        new(name.GetHashCode(), name, "1.28.0", "203.0.113.9", up, Now.AddMinutes(-1), "Synced", null);

    private static ProbeResultView Result(string source, string target, ProbeStatus status) =>
        new(1, source, 2, target, "a.bar.global", 8000, status, null, 8, Now.AddSeconds(-5), $"{status} message", $"{status} hint");

    [Fact]
    public void A_cluster_page_gets_the_problems_fixed_there_and_no_others()
    {
        var health = MeshHealthBuilder.Build(new MeshHealthInput(
            [Cluster("c1"), Cluster("c2"), Cluster("c10"), Cluster("c3", up: false)],
            [Result("c1", "c2", ProbeStatus.Connect), Result("c10", "c2", ProbeStatus.Connect)],
            [], [], 0, Now, TimeSpan.FromSeconds(120)));

        var gateway = Assert.Single(ClusterProblems.For(health, "c2"));
        Assert.Equal(ProblemKind.GatewayUnreachable, gateway.Kind);
        Assert.Equal(ProblemKind.ClusterUnreachable, Assert.Single(ClusterProblems.For(health, "c3")).Kind);
        Assert.Empty(ClusterProblems.For(health, "c1"));
        Assert.Empty(ClusterProblems.For(health, "c10"));
    }
}
