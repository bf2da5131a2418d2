using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

public sealed class DnsConfigTests
{
    private const string Base = """
        .:53 {
            errors
            health
            kubernetes cluster.local in-addr.arpa ip6.arpa {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
            }
            forward . /etc/resolv.conf
            cache 30
        }
        """;

    [Theory]
    [InlineData("global:53 {\n    errors\n    cache 30\n    forward . 10.96.0.53:53\n}")]
    [InlineData("global:53 {\n    errors\n    cache 30\n    proxy . 10.96.0.53\n}")]
    [InlineData("global {\n  forward . 10.96.0.53\n}")]
    [InlineData("global.:53 { forward . dns://10.96.0.53:53 }")]
    public void Corefile_global_blocks_of_every_docs_tab(string globalBlock)
    {
        Assert.Equal(["10.96.0.53"], DnsConfig.CorefileForwarders(Base + "\n" + globalBlock + "\n", "global"));
    }

    [Fact]
    public void A_normal_corefile_has_no_global_forwarder()
    {
        Assert.Empty(DnsConfig.CorefileForwarders(Base, "global"));
    }

    [Fact]
    public void A_commented_out_block_does_not_count()
    {
        Assert.Empty(DnsConfig.CorefileForwarders(Base + "\n# global:53 {\n#   forward . 10.96.0.53\n# }\n", "global"));
    }

    [Theory]
    [InlineData("{\"global\": [\"10.96.0.53\"]}", new[] { "10.96.0.53" })]
    [InlineData("{\"global\": [\"10.96.0.53:53\"], \"acme.local\": [\"1.2.3.4\"]}", new[] { "10.96.0.53" })]
    [InlineData("{\"acme.local\": [\"1.2.3.4\"]}", new string[0])]
    [InlineData("not json", new string[0])]
    public void Kube_dns_stub_domains(string json, string[] expected)
    {
        Assert.Equal(expected, DnsConfig.StubDomainServers(json, "global"));
    }

    [Fact]
    public void A_kube_dns_stub_does_nothing_on_a_cluster_running_coredns()
    {
        var world = SeedWorld.Build();
        var cluster = world["cluster-1"];
        var ip = (string)cluster.Get("", "services", "istio-system", "istiocoredns")!["spec"]!["clusterIP"]!;
        Assert.Equal([ip], DnsConfig.GlobalForwarders(cluster.Snapshot()));

        cluster.Delete("apps", "deployments", "kube-system", "kube-dns");
        cluster.Put(SeedWorld.Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"coredns","namespace":"kube-system"},
             "spec":{"selector":{"matchLabels":{"k8s-app":"coredns"}},"template":{"metadata":{"labels":{"k8s-app":"coredns"}},"spec":{"containers":[{"name":"coredns","image":"coredns/coredns:1.6.7"}]}}}}
            """));
        Assert.Empty(DnsConfig.GlobalForwarders(cluster.Snapshot()));

        var corefile = new System.Text.Json.Nodes.JsonObject { ["Corefile"] = $"global:53 {{\n forward . {ip}:53\n}}\n" };
        cluster.Put(new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "coredns", ["namespace"] = "kube-system" }, ["data"] = corefile,
        });
        Assert.Equal([ip], DnsConfig.GlobalForwarders(cluster.Snapshot()));
    }
}
