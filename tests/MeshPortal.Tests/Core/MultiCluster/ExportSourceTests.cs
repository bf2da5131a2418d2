using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.MultiCluster;

/// <summary>Which clusters serve a multi-primary export: discovered Services of the same name, never a declared list.</summary>
[Trait("Speed", "Fast")]
public sealed class ExportSourceTests
{
    private static MeshFacts Modern(string id, string mesh = "mesh1") => new() { IstioVersion = "1.24.0", IstioClusterId = id, MeshId = mesh };

    private static ClusterTarget Target(int id, MeshFacts facts) =>
        new(id, $"c{id}", facts.IstioVersion, null, null, null, facts.DnsCapture, "coredns", null, CacertsDecision.None, "v1.30.0", facts);

    private static ExportSpec Web(int exporter, params int[] consumers) =>
        new(7, exporter, "bar", "web", "web.bar.global", "240.0.0.7", false, consumers, [new ExportPortSpec("http", 8000, "HTTP")]);

    [Fact]
    public void Every_primary_of_the_exporters_mesh_is_watched_and_other_meshes_and_global_pairs_are_not()
    {
        var c1 = Target(1, Modern("id1"));
        var c2 = Target(2, Modern("id2"));
        var c3 = Target(3, Modern("id3"));
        var elsewhere = Target(4, Modern("id4", mesh: "other"));
        var seed = ExportTestData.Cluster(5);
        var snapshot = new ExportSnapshot([c1, c2, c3, elsewhere, seed], [Web(2, 1)], new ExportPlanSettings());

        // c3 is no consumer, yet istiod merges its Service into the host: it is watched like the exporter.
        Assert.All(new[] { 1, 2, 3 }, id => Assert.Single(ExportSourceRules.Watched(snapshot, id)));
        Assert.Empty(ExportSourceRules.Watched(snapshot, 4));
        Assert.Empty(ExportSourceRules.Watched(snapshot, 5));

        // A .global-only export (its only consumer a .global pair) is one cluster's: nothing is watched.
        var seed2 = ExportTestData.Cluster(6);
        var global = new ExportSnapshot([seed, seed2, c3], [Web(5, 6)], new ExportPlanSettings());
        Assert.Empty(ExportSourceRules.Watched(global, 5));
        Assert.Empty(ExportSourceRules.Watched(global, 3));
    }

    [Fact]
    public void Meshportals_own_dns_service_serves_nothing_and_a_clusters_own_service_does()
    {
        Assert.True(ExportSourceRules.Serves(null)); // a Service with no labels is the cluster's own
        Assert.True(ExportSourceRules.Serves(new Dictionary<string, string> { ["app"] = "web" }));
        Assert.False(ExportSourceRules.Serves(new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "meshportal" }));
        Assert.True(ExportSourceRules.Serves(new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "Helm" }));
    }

    [Fact]
    public void Sources_list_the_exporter_first_and_only_for_multi_primary_names()
    {
        Assert.Equal(["c2", "c1", "c3"], ExportSourceRules.Order("c2", ["c3", "c2", "c1", "c3"]));

        var multiPrimary = new PairVerdict(PairSupport.Supported, "Multi-primary", Model: PairModel.MultiPrimary);
        var global = new PairVerdict(PairSupport.Supported, ".global");
        var exporter = Target(2, Modern("id2"));
        Assert.Equal(["c2", "c3"], ExportNamingRules.Decide(Web(2, 1), exporter, [(Target(1, Modern("id1")), multiPrimary)], served: ["c3", "c2"]).Sources);
        Assert.Equal(["c2"], ExportNamingRules.Decide(Web(2, 1), exporter, [(Target(1, Modern("id1")), global)], served: ["c3"]).Sources);
    }
}
