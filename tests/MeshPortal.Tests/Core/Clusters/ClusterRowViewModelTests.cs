using MeshPortal.Core.Features.Clusters;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public sealed class ClusterRowViewModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static ClusterEntity Cluster() => new()
    {
        Name = "cluster-1",
        Context = "ctx",
        ProtectedKubeconfig = "x",
        Server = "https://127.0.0.1:6443",
    };

    [Fact]
    public void From_NeverChecked_ShowsDashesAndUnknown()
    {
        var row = ClusterRowViewModel.From(ClusterView.From(Cluster()), Now);
        Assert.Equal(ClusterStatus.Unknown, row.Status);
        Assert.Equal(ClusterRowViewModel.Missing, row.IstioVersion);
        Assert.Equal(ClusterRowViewModel.Missing, row.Gateway);
        Assert.Equal("", row.Labels);
    }

    [Fact]
    public void From_CheckedCluster_FormatsGatewayLabelsAndDns()
    {
        var c = Cluster();
        c.Network = "network1";
        c.Region = "eu";
        c.GatewayAddress = "203.0.113.1";
        c.GatewayPort = 15443;
        c.IstioCoreDnsAddress = "10.1.0.53";
        c.DnsProvider = "coredns";
        c.LastCheckedAt = Now.AddMinutes(-2);
        c.LastCheckPassed = true;
        var row = ClusterRowViewModel.From(ClusterView.From(c), Now);
        Assert.Equal("203.0.113.1:15443", row.Gateway);
        Assert.Equal("network1 · eu", row.Labels);
        Assert.Equal("istiocoredns 10.1.0.53 (coredns)", row.Dns);
        Assert.Equal(ClusterStatus.Connected, row.Status);
    }

    [Fact]
    public void From_FailedCheck_NamesTheStage()
    {
        var c = Cluster();
        c.LastCheckedAt = Now;
        c.LastCheckPassed = false;
        c.LastFailedStage = "api.tls";
        var row = ClusterRowViewModel.From(ClusterView.From(c), Now);
        Assert.Equal(ClusterStatus.Unreachable, row.Status);
        Assert.StartsWith("Failed at “TLS trusted”.", row.StatusReason);
        Assert.DoesNotContain("api.tls", row.StatusReason); // the stage's title, not its API identifier
    }

    [Fact]
    public void FormatDns_WithProxying_SaysSo()
    {
        var c = Cluster();
        c.DnsProxying = true;
        Assert.Equal("Istio DNS proxying", ClusterRowViewModel.FormatDns(ClusterView.From(c)));
    }

    [Theory]
    [InlineData(10, "just now")]
    [InlineData(300, "5 min ago")]
    [InlineData(7200, "2 h ago")]
    [InlineData(3 * 86400, "3 d ago")]
    public void Ago_IsReadable(int secondsAgo, string expected)
    {
        Assert.Equal(expected, StatusPresentation.Ago(Now.AddSeconds(-secondsAgo), Now));
        Assert.Equal("never", StatusPresentation.Ago(null, Now));
    }
}
