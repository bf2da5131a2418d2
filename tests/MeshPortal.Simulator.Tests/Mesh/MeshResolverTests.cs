using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

public sealed class MeshResolverTests
{
    private static Resolution Resolve(FakeMesh mesh, string host, string cluster = "cluster-1") =>
        MeshResolver.Resolve(mesh[cluster], mesh[cluster].Get("", "pods", "foo", SeedWorld.SleepPod)!, host);

    [Theory]
    [InlineData("sleep")]
    [InlineData("httpbin.bar")]
    [InlineData("httpbin.bar.svc")]
    [InlineData("httpbin.bar.svc.cluster.local")]
    [InlineData("HTTPBIN.bar.svc.cluster.local.")]
    public void Cluster_local_names_resolve_relative_to_the_pod(string host)
    {
        Assert.Equal(ResolutionKind.ClusterService, Resolve(SeedWorld.Build(), host).Kind);
    }

    [Theory]
    [InlineData("httpbin")]
    [InlineData("httpbin.foo")]
    [InlineData("httpbin.bar.svc.cluster")]
    [InlineData("example.com")]
    public void Unknown_names_do_not(string host)
    {
        Assert.Equal(ResolutionKind.Unresolved, Resolve(SeedWorld.Build(), host).Kind);
    }

    [Fact]
    public void Global_names_resolve_to_the_service_entry_address()
    {
        var r = Resolve(SeedWorld.Build(), "httpbin.bar.global");

        Assert.Equal((ResolutionKind.ServiceEntry, "240.0.0.2"), (r.Kind, r.Address));
    }

    [Fact]
    public void Dns_broken_leaves_only_pod_local_names()
    {
        var mesh = SeedWorld.Build();
        mesh["cluster-1"].DnsBroken = true;

        Assert.Equal(ResolutionKind.Unresolved, Resolve(mesh, "httpbin.bar").Kind);
        Assert.Equal(ResolutionKind.PodLocal, Resolve(mesh, "localhost").Kind);
        Assert.Equal(ResolutionKind.PodLocal, Resolve(mesh, SeedWorld.SleepPod).Kind);
        Assert.Equal(ResolutionKind.ServiceEntry, Resolve(mesh, "240.0.0.2").Kind);
    }

    [Fact]
    public void A_stub_to_another_ip_than_istiocoredns_does_not_resolve()
    {
        var mesh = SeedWorld.Build();
        mesh["cluster-1"].Edit("", "configmaps", "kube-system", "kube-dns")["data"]!["stubDomains"] = "{\"global\": [\"10.96.0.99\"]}";

        var r = Resolve(mesh, "httpbin.bar.global");

        Assert.Equal(ResolutionKind.Unresolved, r.Kind);
        Assert.Contains("not the istiocoredns ClusterIP", r.Explanation);
    }

    [Theory]
    [InlineData("1.6.8", false)]
    [InlineData("1.8.0", true)]
    public void Dns_capture_replaces_the_stub_from_istio_1_8(string version, bool resolves)
    {
        var mesh = SeedWorld.Build();
        var cluster = mesh["cluster-1"];
        cluster.IstioVersion = version;
        cluster.Remove("", "configmaps", "kube-system", "kube-dns");
        cluster.Put("", "configmaps", SeedWorld.Obj("""
            {"metadata":{"name":"istio","namespace":"istio-system"},
             "data":{"mesh":"defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n"}}
            """));

        Assert.Equal(resolves, Resolve(mesh, "httpbin.bar.global").Kind == ResolutionKind.ServiceEntry);
    }

    [Fact]
    public void Dns_capture_marker_on_the_istiod_deployment_counts()
    {
        var mesh = SeedWorld.Build();
        var cluster = mesh["cluster-1"];
        cluster.IstioVersion = "1.9.5";
        cluster.Remove("", "configmaps", "kube-system", "kube-dns");
        cluster.Put("apps", "deployments", SeedWorld.Obj("""
            {"metadata":{"name":"istiod","namespace":"istio-system"},
             "spec":{"template":{"spec":{"containers":[{"name":"discovery","env":[{"name":"ISTIO_META_DNS_CAPTURE","value":"true"}]}]}}}}
            """));

        Assert.Equal(ResolutionKind.ServiceEntry, Resolve(mesh, "httpbin.bar.global").Kind);
    }

    [Fact]
    public void The_agent_only_sees_entries_exported_to_the_pod_namespace()
    {
        var mesh = SeedWorld.Build();
        var cluster = mesh["cluster-1"];
        cluster.IstioVersion = "1.8.0";
        cluster.Remove("", "configmaps", "kube-system", "kube-dns");
        cluster.Put("", "configmaps", SeedWorld.Obj("""{"metadata":{"name":"istio","namespace":"istio-system"},"data":{"mesh":"defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n"}}"""));
        var se = cluster.Edit("networking.istio.io", "serviceentries", "foo", "httpbin-bar");
        se["metadata"]!["namespace"] = "other";
        se["spec"]!["exportTo"] = new System.Text.Json.Nodes.JsonArray(".");
        cluster.Remove("networking.istio.io", "serviceentries", "foo", "httpbin-bar");
        cluster.Put("networking.istio.io", "serviceentries", se);

        Assert.Equal(ResolutionKind.Unresolved, Resolve(mesh, "httpbin.bar.global").Kind);
    }

    [Fact]
    public void Cidr_addresses_do_not_resolve()
    {
        var mesh = SeedWorld.Build();
        mesh["cluster-1"].Edit("networking.istio.io", "serviceentries", "foo", "httpbin-bar")["spec"]!["addresses"]![0] = "240.0.0.0/16";

        Assert.Contains("has no addresses", Resolve(mesh, "httpbin.bar.global").Explanation);
    }
}
