using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.MultiCluster;

[Trait("Speed", "Fast")]
public sealed class ExportNamingTests
{
    private static MeshFacts Modern(string id, bool mcs = false, bool mcsHost = false) => new()
    {
        IstioVersion = "1.24.0", IstioClusterId = id, MeshId = "mesh1", McsServiceDiscovery = mcs, McsCrds = mcs, McsHost = mcsHost,
    };

    private static ClusterTarget Target(int id, MeshFacts facts) =>
        new(id, $"c{id}", facts.IstioVersion, null, null, null, facts.DnsCapture, "coredns", null, CacertsDecision.None, "v1.30.0", facts);

    private static readonly ExportSpec Web = new(7, 1, "bar", "web", "web.bar.global", "240.0.0.2", false, [2, 3, 4], [new("http", 8000, "HTTP")]);

    private static readonly PairVerdict MultiPrimary = new(PairSupport.Supported, "Multi-primary", Model: PairModel.MultiPrimary);
    private static readonly PairVerdict Global = new(PairSupport.Supported, ".global");
    private static readonly PairVerdict Unsupported = new(PairSupport.Unsupported, "too old");

    [Fact]
    public void Each_consumer_gets_the_name_its_pair_uses_and_the_meaning_says_traffic_is_not_restricted()
    {
        var exporter = Target(1, Modern("id1"));
        var naming = ExportNamingRules.Decide(Web, exporter,
        [
            (Target(4, Modern("id4")), Unsupported),
            (Target(2, Modern("id2")), MultiPrimary),
            (Target(3, Modern("id3", mcsHost: true)), MultiPrimary),
        ]);

        Assert.Equal(
            [new ConsumerName("c2", "web.bar.svc.cluster.local", "multi-primary"), new ConsumerName("c3", "web.bar.svc.clusterset.local", "multi-primary"), new ConsumerName("c4", null, "none")],
            naming.Names);
        Assert.Equal(["c1"], naming.Sources);
        Assert.Contains("every cluster of the mesh already sees this service through the remote secrets", naming.ConsumersMean, StringComparison.Ordinal);
        Assert.Contains("it does not restrict traffic", naming.ConsumersMean, StringComparison.Ordinal);
        Assert.DoesNotContain(".global model", naming.ConsumersMean, StringComparison.Ordinal);
    }

    [Fact]
    public void With_mcs_discovery_the_meaning_says_the_service_export_reaches_the_whole_mesh()
    {
        var naming = ExportNamingRules.Decide(Web, Target(1, Modern("id1", mcs: true)), [(Target(2, Modern("id2", mcs: true)), MultiPrimary)]);
        Assert.Contains("ServiceExport in c1 makes the service visible to every cluster of the mesh", naming.ConsumersMean, StringComparison.Ordinal);
        Assert.Contains("AuthorizationPolicy in c1", naming.ConsumersMean, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_pairs_keep_the_global_host_and_claim_no_restriction()
    {
        var naming = ExportNamingRules.Decide(Web, Target(1, Modern("id1")), [(Target(2, Modern("id2")), Global), (Target(3, Modern("id3")), MultiPrimary)]);
        Assert.Equal(["web.bar.global", "web.bar.svc.cluster.local"], naming.Names.Select(n => n.Host));
        Assert.Contains("The .global model", naming.ConsumersMean, StringComparison.Ordinal);
        Assert.DoesNotContain("only", naming.ConsumersMean.Split("The .global model")[1], StringComparison.Ordinal);

        var none = ExportNamingRules.Decide(Web, Target(1, Modern("id1")), [(Target(4, Modern("id4")), Unsupported)]);
        Assert.StartsWith("No consumer can carry this export yet", none.ConsumersMean, StringComparison.Ordinal);
    }

    [Fact]
    public void The_row_groups_consumers_by_the_name_they_call_modern_names_first()
    {
        var naming = ExportNamingRules.Decide(Web, Target(1, Modern("id1")),
            [(Target(2, Modern("id2")), MultiPrimary), (Target(3, Modern("id3")), Global), (Target(4, Modern("id4")), MultiPrimary), (Target(5, Modern("id5")), Unsupported)]);
        var view = new ExportView(7, "c1", "bar", "web", "web.bar.global", "240.0.0.2", false, Web.Ports, [], null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, Naming: naming);
        var model = ExportNamesViewModel.From(view);

        Assert.True(model.HasModernNames);
        Assert.Equal([("web.bar.svc.cluster.local", "c2,c4"), ("web.bar.global", "c3")], model.Lines.Select(l => (l.Host, string.Join(",", l.Consumers))));
        Assert.Equal("c1", model.Sources);

        var globalOnly = ExportNamesViewModel.From(view with { Naming = ExportNamingRules.Decide(Web, Target(1, Modern("id1")), [(Target(3, Modern("id3")), Global)]) });
        Assert.False(globalOnly.HasModernNames);
    }
}
