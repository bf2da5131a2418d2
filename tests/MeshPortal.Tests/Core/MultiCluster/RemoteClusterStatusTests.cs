using MeshPortal.Core.Features.MultiCluster;

namespace MeshPortal.Tests.Core.MultiCluster;

[Trait("Speed", "Fast")]
public sealed class RemoteClusterStatusTests
{
    [Fact]
    public void Istiods_list_is_set_beside_the_expected_peers_with_reasons()
    {
        const string clusterz = """
            [{"id":"c1","secretName":"","syncStatus":"synced"},
             {"id":"c2","secretName":"istio-system/istio-remote-secret-c2","syncStatus":"synced"},
             {"id":"c3","secretName":"istio-system/istio-remote-secret-c3","syncStatus":"timeout"}]
            """;
        var report = RemoteClusterStatus.Build(clusterz, "c1", new Dictionary<string, string> { ["c2"] = "two", ["c3"] = "three", ["c4"] = "four" });
        Assert.Null(report.Problem);
        Assert.Equal(["c3", "c4", "c2"], report.Rows.Select(r => r.ClusterId));
        Assert.Contains("reader token may be revoked", report.Rows[0].Explanation);
        Assert.Equal("missing", report.Rows[1].SyncStatus);
        Assert.Contains("no remote secret for it", report.Rows[1].Explanation);
        Assert.True(report.Rows[2].Synced);
        Assert.Equal("two", report.Rows[2].PeerName);
    }

    [Fact]
    public void Garbage_is_a_problem_not_an_exception() =>
        Assert.NotNull(RemoteClusterStatus.Build("404 page not found", "c1", new Dictionary<string, string>()).Problem);

    [Fact]
    public void The_stored_summary_names_what_is_not_synced_and_is_null_when_all_is()
    {
        var report = RemoteClusterStatus.Build("""[{"id":"c2","secretName":"s","syncStatus":"timeout"}]""", "c1", new Dictionary<string, string> { ["c2"] = "two" });
        Assert.StartsWith("two: timeout.", RemoteClusterStatus.Summary(report));
        Assert.Null(RemoteClusterStatus.Summary(RemoteClusterStatus.Build("""[{"id":"c2","syncStatus":"synced"}]""", "c1", new Dictionary<string, string> { ["c2"] = "two" })));
        Assert.Null(RemoteClusterStatus.Summary(new RemoteClusterReport([], "istiod answers 404", Unknowable: true)));
        Assert.Null(RemoteClusterStatus.Summary(null));
    }
}
