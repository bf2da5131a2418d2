using System.Text;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.MultiCluster;

[Trait("Speed", "Fast")]
public sealed class MultiPrimaryPlannerTests
{
    private static MeshFacts Modern(string id, string? mesh = "mesh1", bool capture = false, bool mcs = false) => new()
    {
        IstioVersion = "1.24.0", IstioClusterId = id, MeshId = mesh, DnsCapture = capture, McsServiceDiscovery = mcs, McsCrds = mcs,
    };

    private static ClusterTarget Target(int id, MeshFacts facts, string? network = null) =>
        new(id, $"c{id}", facts.IstioVersion, null, null, null, facts.DnsCapture, "coredns", network, CacertsDecision.None, "v1.30.0", facts);

    private static MeshPeer Peer(int id, string? token = "tok") => new(id, $"c{id}", $"id{id}", $"https://10.0.0.{id}:6443", "Q0E=", token);

    [Fact]
    public void Each_primary_gets_the_reader_token_secret_its_network_label_and_one_remote_secret_per_peer()
    {
        var planner = new MultiPrimaryPlanner([Peer(1), Peer(2), Peer(3)],
            [new MeshMember("c1", Modern("id1"), "net1"), new MeshMember("c2", Modern("id2"), "net2"), new MeshMember("c3", Modern("id3"), "net2")]);
        var plan = planner.Plan(Target(1, Modern("id1"), "net1"), LiveObjects.Empty);

        Assert.Equal(["Namespace", "Secret", "Secret", "Secret"], plan.Objects.Select(o => o.Ref.Kind));
        var label = plan.Objects[0];
        Assert.Equal(ApplyMode.Merge, label.Mode);
        Assert.Equal("net1", (string?)label.Body["metadata"]!["labels"]![MeshFactsReader.NetworkLabel]);
        Assert.Equal(RemoteSecrets.ReaderTokenSecret, plan.Objects[1].Ref.Name);
        Assert.Equal("kubernetes.io/service-account-token", (string?)plan.Objects[1].Body["type"]);
        Assert.Equal(["istio-remote-secret-id2", "istio-remote-secret-id3"], plan.Objects.Skip(2).Select(o => o.Ref.Name));
        var secret = plan.Objects[2].Body;
        Assert.Equal("true", (string?)secret["metadata"]!["labels"]!["istio/multiCluster"]);
        Assert.Equal("id2", (string?)secret["metadata"]!["annotations"]!["networking.istio.io/cluster"]);
        var kubeconfig = Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["id2"]!));
        Assert.Contains("server: https://10.0.0.2:6443", kubeconfig);
        Assert.Contains("certificate-authority-data: Q0E=", kubeconfig);
        Assert.Contains("token: tok", kubeconfig);
        Assert.Contains("current-context: \"id2\"", kubeconfig);
    }

    [Fact]
    public void A_peer_without_a_token_yet_gets_a_note_not_a_secret()
    {
        var planner = new MultiPrimaryPlanner([Peer(1), Peer(2, token: null)], [new MeshMember("c1", Modern("id1"), null), new MeshMember("c2", Modern("id2"), null)]);
        var plan = planner.Plan(Target(1, Modern("id1")), LiveObjects.Empty);
        Assert.DoesNotContain(plan.Objects, o => o.Ref.Name.StartsWith("istio-remote-secret-", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Contains("waits for c2", StringComparison.Ordinal));
    }

    [Fact]
    public void Clusters_that_disagree_on_the_mesh_get_notes_and_no_secrets()
    {
        var planner = new MultiPrimaryPlanner([Peer(1), Peer(2)], [new MeshMember("c1", Modern("same"), null), new MeshMember("c2", Modern("same"), null)]);
        var plan = planner.Plan(Target(1, Modern("same")), LiveObjects.Empty);
        Assert.DoesNotContain(plan.Objects, o => o.Ref.Name.StartsWith("istio-remote-secret-", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Contains("shared by c1, c2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cluster_that_cannot_join_gets_nothing() =>
        Assert.Empty(new MultiPrimaryPlanner([Peer(2)], []).Plan(Target(1, Modern("id1")), LiveObjects.Empty).Objects);

    [Theory]
    [InlineData("cluster-2", "istio-remote-secret-cluster-2")]
    [InlineData("East_West/1", "istio-remote-secret-east-west-1")]
    public void Secret_names_are_valid_kubernetes_names(string id, string name) => Assert.Equal(name, RemoteSecrets.SecretName(id));

    [Fact]
    public void Pairs_of_primaries_use_multi_primary_while_dot_global_pairs_keep_dot_global()
    {
        var modern1 = Target(1, Modern("id1"));
        var modern2 = Target(2, Modern("id2"));
        var seed1 = ExportTestData.Cluster(3);
        var seed2 = ExportTestData.Cluster(4);
        var pairs = new GlobalModelPairs();
        Assert.True(pairs.Decide(modern2, modern1).IsMultiPrimary);
        Assert.True(pairs.Decide(seed2, seed1).IsGlobal);
        Assert.Equal(PairSupport.Unsupported, pairs.Decide(seed2, modern1).Support);
        Assert.Equal(PairSupport.Unsupported, pairs.Decide(Target(5, Modern("id5", mesh: "other")), modern1).Support);
    }

    [Fact]
    public void Modern_exports_write_a_service_export_with_mcs_and_a_dns_service_where_the_consumer_lacks_the_name()
    {
        var exporter = Target(2, Modern("id2", mcs: true));
        var consumer = Target(1, Modern("id1"));
        var capturing = Target(3, Modern("id3", capture: true));
        var export = new ExportSpec(7, 2, "bar", "web", "web.bar.global", "240.0.0.7", true, [], [new ExportPortSpec("http", 8000, "HTTP")]);
        var snapshot = new ExportSnapshot([consumer, exporter, capturing], [export], new ExportPlanSettings());

        var onExporter = new ModernExportPlanner(snapshot).Plan(exporter, LiveObjects.Empty).Objects;
        Assert.Equal("ServiceExport", Assert.Single(onExporter).Ref.Kind);

        var onConsumer = new ModernExportPlanner(snapshot).Plan(consumer, LiveObjects.Empty).Objects;
        Assert.Equal(["Namespace", "Service"], onConsumer.Select(o => o.Ref.Kind));
        Assert.Null(onConsumer[1].Body["spec"]!["selector"]);
        Assert.Equal("export/7", onConsumer[1].Source);

        Assert.Empty(new ModernExportPlanner(snapshot).Plan(capturing, LiveObjects.Empty).Objects);

        var own = new LiveObjects(new Dictionary<ObjectRef, System.Text.Json.Nodes.JsonObject?>
        {
            [ModernExportPlanner.ServiceRef("bar", "web")] = new() { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "web" } },
        });
        Assert.Empty(new ModernExportPlanner(snapshot).Plan(consumer, own).Objects);
    }
}
