using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// The exports planner's input key is what lets an unchanged cluster skip planning: it must move with anything the export
/// planners read (every cluster, export and setting of the snapshot, and the target), and stay put for an equal snapshot
/// loaded again.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ExportPlannerKeyTests
{
    private static readonly ClusterTarget[] Clusters = [ExportTestData.Cluster(1), ExportTestData.Cluster(2)];

    private static string? Key(ExportSnapshot snapshot, ClusterTarget? target = null) => new ExportPlanner(snapshot).InputKey(target ?? Clusters[0]);

    private static ExportSnapshot Base(params ExportSpec[] exports) =>
        ExportTestData.Snapshot(Clusters, exports.Length == 0 ? [ExportTestData.Httpbin()] : exports);

    [Fact]
    public void An_equal_snapshot_loaded_again_has_the_same_key() => Assert.Equal(Key(Base()), Key(Base()));

    [Fact]
    public void Any_change_to_an_export_moves_it()
    {
        var key = Key(Base());
        var httpbin = ExportTestData.Httpbin();
        Assert.NotEqual(key, Key(Base(httpbin with { Address = "240.0.0.3" })));
        Assert.NotEqual(key, Key(Base(httpbin with { Ports = [new ExportPortSpec("http1", 8080, "HTTP")] })));
        Assert.NotEqual(key, Key(Base(httpbin with { ConsumerIds = [1, 3] })));
        Assert.NotEqual(key, Key(Base(httpbin with { AllConsumers = true })));
        Assert.NotEqual(key, Key(Base(httpbin with { Move = ExportMovePhase.Moving })));
        Assert.NotEqual(key, Key(Base(httpbin, ExportTestData.Httpbin(id: 2) with { Service = "other", Host = "other.bar.global" })));
        Assert.NotEqual(key, Key(ExportTestData.Snapshot(Clusters)));
    }

    [Fact]
    public void Any_change_to_a_cluster_setting_or_the_target_moves_it()
    {
        var key = Key(Base());
        Assert.NotEqual(key, Key(ExportTestData.Snapshot([Clusters[0], ExportTestData.Cluster(2, gateway: "203.0.113.99")], ExportTestData.Httpbin())));
        Assert.NotEqual(key, Key(ExportTestData.Snapshot([Clusters[0], ExportTestData.Cluster(2, istio: "1.24.0")], ExportTestData.Httpbin())));
        Assert.NotEqual(key, Key(ExportTestData.Snapshot([Clusters[0], Clusters[1] with { Mesh = ExportTestData.Installed("1.6.8", dnsCapture: true) }], ExportTestData.Httpbin())));
        Assert.NotEqual(key, Key(Base() with { Settings = new ExportPlanSettings(StaticWhenIp: true) }));
        Assert.NotEqual(key, Key(Base() with { Settings = new ExportPlanSettings(ClusterLocalByDefault: true) }));
        Assert.NotEqual(key, Key(Base(), Clusters[0] with { CacertsDecision = CacertsDecision.Replace }));
        Assert.NotEqual(key, Key(Base(), Clusters[1]));
    }
}
