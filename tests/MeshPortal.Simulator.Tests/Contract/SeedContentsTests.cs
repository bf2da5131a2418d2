using System.Text.Json.Nodes;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>What each cluster contains at start, per options.</summary>
public sealed class SeedContentsTests(SeedContentsTests.Fixture fx) : IClassFixture<SeedContentsTests.Fixture>
{
    public sealed class Fixture : MeshFixture
    {
        protected override SimulatorOptions Options() => new()
        {
            Clusters = 3,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "cluster-2", IstioVersion = "1.8.6", UseKubeDns = true, GatewayHasLoadBalancer = false },
                new SimulatedClusterOptions { Name = "cluster-3", IstioVersion = "1.24.0", ExtraServices = 25, ExtraServicesFrom = 101 },
            ],
        };
    }

    [Fact]
    public void Istio_1_6_cluster_has_the_seed_setup()
    {
        var c = fx.Mesh["cluster-1"];
        var istiod = c.Get("apps", "deployments", "istio-system", "istiod")!;
        Assert.Equal("docker.io/istio/pilot:1.6.8", (string?)istiod["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        var gw = c.Get("", "services", "istio-system", "istio-ingressgateway")!;
        Assert.Equal("LoadBalancer", (string?)gw["spec"]!["type"]);
        Assert.Equal("203.0.113.1", (string?)gw["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
        var ports = gw["spec"]!["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int)p!["port"]!);
        Assert.Equal(new Dictionary<string, int> { ["status-port"] = 15021, ["http2"] = 80, ["https"] = 443, ["tls"] = 15443 }, ports);
        Assert.All(gw["spec"]!["ports"]!.AsArray(), p => Assert.NotNull(p!["nodePort"]));
        Assert.StartsWith("10.1.", (string?)c.Get("", "services", "istio-system", "istiocoredns")!["spec"]!["clusterIP"]);
        Assert.Contains("forward . /etc/resolv.conf", (string?)c.Get("", "configmaps", "kube-system", "coredns")!["data"]!["Corefile"]);
        Assert.Equal("coredns/coredns:1.6.7", (string?)c.Get("apps", "deployments", "kube-system", "coredns")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        var httpbin = c.Get("", "services", "bar", "httpbin")!["spec"]!["ports"]![0]!;
        Assert.Equal(("http", 8000, 80), ((string?)httpbin["name"], (int)httpbin["port"]!, (int)httpbin["targetPort"]!));
        Assert.Single(c.List("", "pods", "bar"), p => ((string)p["metadata"]!["name"]!).StartsWith("httpbin-", StringComparison.Ordinal));
        Assert.NotNull(c.Get("networking.istio.io", "gateways", "istio-system", "istio-multicluster-ingressgateway"));
        Assert.Null(c.Get("", "secrets", "istio-system", "cacerts"));
        Assert.DoesNotContain("ISTIO_META_DNS_CAPTURE", (string?)c.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]);
    }

    [Fact]
    public void Istio_1_8_kube_dns_node_port_cluster()
    {
        var c = fx.Mesh["cluster-2"];
        Assert.Null(c.Get("", "services", "istio-system", "istiocoredns"));
        // DNS proxying is off in a default 1.8 install (pilot-agent options.go: ISTIO_META_DNS_CAPTURE defaults to false).
        Assert.DoesNotContain("ISTIO_META_DNS_CAPTURE", (string?)c.Get("", "configmaps", "istio-system", "istio")!["data"]!["mesh"]);
        Assert.NotNull(c.Get("", "configmaps", "kube-system", "kube-dns"));
        Assert.Null(c.Get("", "configmaps", "kube-system", "coredns"));
        Assert.NotNull(c.Get("apps", "deployments", "kube-system", "kube-dns"));
        var gw = c.Get("", "services", "istio-system", "istio-ingressgateway")!;
        Assert.Equal("NodePort", (string?)gw["spec"]!["type"]);
        Assert.Null(gw["status"]!["loadBalancer"]!["ingress"]);
        var gwPod = c.List("", "pods", "istio-system").Single(p => (string?)p["metadata"]!["labels"]!["app"] == "istio-ingressgateway");
        Assert.Equal("198.51.100.2", (string?)gwPod["status"]!["hostIP"]);
        Assert.Null(c.GatewayLoadBalancerIp);
    }

    [Fact]
    public void Extra_services_each_have_a_ready_pod()
    {
        var c = fx.Mesh["cluster-3"];
        Assert.Equal(25, c.List("", "services", "extra").Count);
        Assert.NotNull(c.Get("", "services", "extra", "svc-0101"));
        Assert.NotNull(c.Get("", "services", "extra", "svc-0125"));
        Assert.Null(c.Get("", "services", "extra", "svc-0100"));
        Assert.Null(c.Get("", "services", "extra", "svc-0126"));
        Assert.All(c.List("", "pods", "extra"), p => Assert.Equal("Running", (string?)p["status"]!["phase"]));
        Assert.Equal(25, c.List("", "pods", "extra").Count);
        Assert.Null(c.Get("networking.istio.io", "gateways", "istio-system", "istio-multicluster-ingressgateway"));
    }

    [Fact]
    public async Task Discovery_serves_versions_by_istio_version_with_short_names()
    {
        async Task<JsonObject> Get(string cluster, string path)
        {
            using var http = TestHttp.For(fx.Mesh[cluster]);
            return JsonNode.Parse(await http.GetStringAsync(new Uri(fx.Mesh[cluster].Server, path)))!.AsObject();
        }

        var old = await Get("cluster-1", "/apis/networking.istio.io");
        Assert.Equal(["v1beta1", "v1alpha3"], old["versions"]!.AsArray().Select(v => (string?)v!["version"]));
        var modern = await Get("cluster-3", "/apis/networking.istio.io");
        Assert.Equal("v1", (string?)modern["preferredVersion"]!["version"]);

        var core = await Get("cluster-1", "/api/v1");
        var shortNames = core["resources"]!.AsArray().Where(r => r!["shortNames"] is not null)
            .ToDictionary(r => (string)r!["name"]!, r => (string)r!["shortNames"]![0]!);
        Assert.Equal("ns", shortNames["namespaces"]);
        Assert.Equal("po", shortNames["pods"]);
        Assert.Equal("svc", shortNames["services"]);
        Assert.Equal("cm", shortNames["configmaps"]);
        Assert.Equal("sa", shortNames["serviceaccounts"]);
        var istio = await Get("cluster-1", "/apis/networking.istio.io/v1beta1");
        Assert.Contains(istio["resources"]!.AsArray(), r => (string?)r!["name"] == "serviceentries" && (string?)r["shortNames"]![0] == "se"
            && (bool)r["namespaced"]! && (string?)r["kind"] == "ServiceEntry");

        var openapi = await Get("cluster-3", "/openapi/v3");
        var url = (string)openapi["paths"]!["apis/networking.istio.io/v1"]!["serverRelativeURL"]!;
        var doc = await Get("cluster-3", url);
        var patch = doc["paths"]!["/apis/networking.istio.io/v1/namespaces/{namespace}/serviceentries/{name}"]!["patch"]!;
        Assert.Equal("ServiceEntry", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation");
    }
}
