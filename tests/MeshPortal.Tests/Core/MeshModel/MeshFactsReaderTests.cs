using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MeshModel;

namespace MeshPortal.Tests.Core.MeshModel;

/// <summary>The reader against object shapes as Istio's charts render them (istiod Deployment, mesh ConfigMap, gateways).</summary>
[Trait("Speed", "Fast")]
public sealed class MeshFactsReaderTests
{
    private static JsonObject O(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Mesh(string yaml) => new() { ["data"] = new JsonObject { ["mesh"] = yaml } };

    private static JsonObject Istiod(string image, params (string Name, string Value)[] env)
    {
        var vars = new JsonArray([.. env.Select(e => (JsonNode)new JsonObject { ["name"] = e.Name, ["value"] = e.Value })]);
        var container = new JsonObject { ["name"] = "discovery", ["image"] = image, ["env"] = vars };
        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "istiod" },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) } } },
        };
    }

    [Fact]
    public void Reads_a_modern_install()
    {
        var facts = MeshFactsReader.Read(new MeshObjects
        {
            Istiod = Istiod("docker.io/istio/pilot:1.24.3-distroless", ("CLUSTER_ID", "cluster-2"), ("ENABLE_MCS_SERVICE_DISCOVERY", "true")),
            MeshConfigMap = Mesh("defaultConfig:\n  meshId: mesh1\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\ntrustDomain: cluster.local\n"),
            IngressService = O("""{"spec":{"ports":[{"name":"http2","port":80},{"name":"https","port":443}]}}"""),
            IstioSystemNamespace = O("""{"metadata":{"name":"istio-system","labels":{"topology.istio.io/network":"net2"}}}"""),
            IstioSystemServices =
            [
                O("""{"metadata":{"name":"istio-eastwestgateway","labels":{"topology.istio.io/network":"net2"}},"spec":{"ports":[{"name":"tls","port":15443}]},"status":{"loadBalancer":{"ingress":[{"ip":"198.51.100.2"}]}}}"""),
            ],
            IstioSystemGateways =
            [
                O("""{"metadata":{"name":"cross-network-gateway"},"spec":{"selector":{"istio":"eastwestgateway"},"servers":[{"port":{"number":15443,"name":"tls","protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"},"hosts":["*.local"]}]}}"""),
            ],
            KubernetesVersion = "v1.29.0",
        });

        Assert.Equal("1.24.3", facts.IstioVersion);
        Assert.Equal("cluster-2", facts.IstioClusterId);
        Assert.Equal("mesh1", facts.MeshId);
        Assert.Equal("net2", facts.Network);
        Assert.Equal("cluster.local", facts.TrustDomain);
        Assert.True(facts.DnsCapture);
        Assert.True(facts.McsServiceDiscovery);
        Assert.False(facts.IngressHasPort15443);
        Assert.False(facts.OverlayGateway);
        Assert.True(facts.CrossNetworkGateway);
        Assert.Equal(new EastWestGatewayFacts("istio-eastwestgateway", "net2", "198.51.100.2", true, false), facts.EastWest);
    }

    [Fact]
    public void Reads_the_seed_install_with_the_overlay()
    {
        var facts = MeshFactsReader.Read(new MeshObjects
        {
            Istiod = Istiod("docker.io/istio/pilot:1.6.8"),
            MeshConfigMap = Mesh("defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n"),
            IngressDeployment = O("""{"spec":{"template":{"spec":{"containers":[{"name":"istio-proxy","env":[{"name":"ISTIO_META_ROUTER_MODE","value":"sni-dnat"}]}]}}}}"""),
            IngressService = O("""{"spec":{"ports":[{"name":"tls","port":15443}]}}"""),
            IstioSystemServices = [O("""{"metadata":{"name":"istiocoredns"},"spec":{"clusterIP":"10.96.0.53"}}""")],
            IstioSystemGateways =
            [
                O("""{"metadata":{"name":"istio-multicluster-ingressgateway"},"spec":{"selector":{"istio":"ingressgateway"},"servers":[{"port":{"number":15443,"name":"tls","protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"},"hosts":["*.global"]}]}}"""),
            ],
            OverlayEnvoyFilter = O("""{"metadata":{"name":"istio-multicluster-ingressgateway"}}"""),
            OverlayDestinationRule = O("""{"metadata":{"name":"istio-multicluster-ingressgateway"}}"""),
        });

        Assert.Equal("1.6.8", facts.IstioVersion);
        Assert.True(facts.OverlayGateway && facts.OverlayEnvoyFilter && facts.OverlayDestinationRule);
        Assert.Equal("sni-dnat", facts.IngressRouterMode);
        Assert.True(facts.IngressHasPort15443);
        Assert.Equal("10.96.0.53", facts.IstioCoreDnsAddress);
        Assert.False(facts.DnsCapture);
        Assert.Null(facts.EastWest);
    }

    [Fact]
    public void Istiod_env_dns_capture_is_not_dns_capture()
    {
        // Sidecars never see istiod's environment: only the mesh config (or the pod's annotation) turns capture on.
        var facts = MeshFactsReader.Read(new MeshObjects { Istiod = Istiod("istio/pilot:1.9.0", ("ISTIO_META_DNS_CAPTURE", "true")) });
        Assert.False(facts.DnsCapture);
    }

    [Theory]
    [InlineData("docker.io/istio/pilot:1.24.3-distroless", "1.24.3")]
    [InlineData("gcr.io/istio-release/pilot:1.9.0@sha256:abc", "1.9.0")]
    [InlineData("registry:5000/istio/pilot:1.6.8", "1.6.8")]
    [InlineData("registry:5000/istio/pilot", null)]
    [InlineData("istio/pilot:latest", null)]
    [InlineData(null, null)]
    public void Image_tags(string? image, string? version) => Assert.Equal(version, MeshFactsReader.ImageTag(image));
}
