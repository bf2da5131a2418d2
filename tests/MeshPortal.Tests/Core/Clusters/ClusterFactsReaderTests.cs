using MeshPortal.Core.Features.MeshModel;
using k8s;
using k8s.Models;

namespace MeshPortal.Tests.Core.Clusters;

[Trait("Speed", "Fast")]
public class ClusterFactsReaderTests
{
    [Theory]
    [InlineData("docker.io/istio/pilot:1.6.8", "1.6.8")]
    [InlineData("istio/pilot:1.9.0-distroless", "1.9.0")]
    [InlineData("gcr.io/istio-release/pilot:1.10.3@sha256:0123456789abcdef", "1.10.3")]
    [InlineData("localhost:5000/istio/pilot:1.7.2", "1.7.2")]
    [InlineData("localhost:5000/istio/pilot", null)]
    [InlineData("docker.io/istio/pilot@sha256:0123456789abcdef", null)]
    [InlineData("docker.io/istio/pilot", null)]
    [InlineData("docker.io/istio/pilot:", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("istio/pilot:latest", "latest")]
    public void Version_comes_from_the_image_tag(string? image, string? expected) =>
        Assert.Equal(expected, ClusterFactsReader.VersionFromImage(image));

    [Fact]
    public void Discovery_container_is_preferred()
    {
        var d = KubernetesJson.Deserialize<V1Deployment>("""
            {"spec":{"template":{"spec":{"containers":[
              {"name":"sidecar","image":"x/proxy:1.0.0"},{"name":"discovery","image":"docker.io/istio/pilot:1.6.8"}]}}}}
            """);
        Assert.Equal("docker.io/istio/pilot:1.6.8", ClusterFactsReader.DiscoveryContainer(d)!.Image);
    }

    private static V1Service Svc(string json) => KubernetesJson.Deserialize<V1Service>(json);

    private static V1Service Gw(string type, string specExtra, string status) =>
        Svc("{\"spec\":{\"type\":\"" + type + "\"," + specExtra + Ports + "},\"status\":" + status + "}");

    private const string Ports = """
        "ports":[{"name":"status-port","port":15021,"nodePort":30021},{"name":"tls","port":15443,"targetPort":15443,"nodePort":31443}]
        """;

    [Fact]
    public void Load_balancer_ip_wins()
    {
        var g = ClusterFactsReader.ReadGateway(Gw("LoadBalancer", "", """{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}"""));
        Assert.Equal(new GatewayEndpoint(GatewayAddressMode.LoadBalancerIp, "203.0.113.10", 15443), g);
    }

    [Fact]
    public void Load_balancer_hostname_is_used_when_there_is_no_ip()
    {
        var g = ClusterFactsReader.ReadGateway(Gw("LoadBalancer", "", """{"loadBalancer":{"ingress":[{"hostname":"a1.elb.example.com"}]}}"""));
        Assert.Equal((GatewayAddressMode.LoadBalancerHostname, "a1.elb.example.com", 15443), (g.Mode, g.Address, g.Port));
    }

    [Fact]
    public void External_ip_is_used_when_there_is_no_load_balancer_address()
    {
        var g = ClusterFactsReader.ReadGateway(Gw("NodePort", "\"externalIPs\":[\"198.51.100.7\"],", "{}"));
        Assert.Equal((GatewayAddressMode.ExternalIp, "198.51.100.7", 15443), (g.Mode, g.Address, g.Port));
    }

    [Fact]
    public void Node_port_of_15443_is_used_without_any_address()
    {
        var g = ClusterFactsReader.ReadGateway(Gw("LoadBalancer", "", """{"loadBalancer":{}}"""));
        Assert.Equal((GatewayAddressMode.NodePort, null, 31443), (g.Mode, g.Address, g.Port));
    }

    [Fact]
    public void Service_without_15443_is_reported()
    {
        var g = ClusterFactsReader.ReadGateway(Svc("""{"spec":{"type":"LoadBalancer","ports":[{"name":"http2","port":80}]},"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}"""));
        Assert.Equal(GatewayAddressMode.None, g.Mode);
        Assert.Contains("15443", g.Problem);
    }

    [Fact]
    public void Cluster_ip_service_has_no_address()
    {
        var g = ClusterFactsReader.ReadGateway(Svc("""{"spec":{"type":"ClusterIP","ports":[{"name":"tls","port":15443}]}}"""));
        Assert.Equal(GatewayAddressMode.None, g.Mode);
        Assert.NotNull(g.Problem);
    }

    [Fact]
    public void Node_address_comes_from_a_running_gateway_pod()
    {
        var pods = new[]
        {
            KubernetesJson.Deserialize<V1Pod>("""{"status":{"phase":"Pending"}}"""),
            KubernetesJson.Deserialize<V1Pod>("""{"status":{"phase":"Failed","hostIP":"10.0.0.9"}}"""),
            KubernetesJson.Deserialize<V1Pod>("""{"status":{"phase":"Running","hostIP":"10.0.0.5"}}"""),
        };
        Assert.Equal("10.0.0.5", ClusterFactsReader.NodeAddressFromPods(pods));
        Assert.Null(ClusterFactsReader.NodeAddressFromPods([]));
    }

    [Theory]
    [InlineData("defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n", true)]
    [InlineData("defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"false\"\n", false)]
    [InlineData("defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n", false)]
    [InlineData("accessLogFile: /dev/stdout\n", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("defaultConfig: [unclosed", false)]
    public void Dns_capture_is_read_from_the_mesh_config(string? mesh, bool expected) =>
        Assert.Equal(expected, ClusterFactsReader.DnsCaptureInMeshConfig(mesh));

    [Theory]
    [InlineData("1.6.8", "1.8", -1)]
    [InlineData("1.8.0", "1.8", 0)]
    [InlineData("1.10.0", "1.9.9", 1)]
    [InlineData("v1.18.6-gke.1", "1.18.6", 0)]
    [InlineData("1.9.0-beta.1", "1.8", 1)]
    public void Versions_compare_numerically(string a, string b, int expected) =>
        Assert.Equal(expected, Math.Sign(ClusterFactsReader.CompareVersions(a, b)!.Value));

    [Theory]
    [InlineData("latest")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1")]
    public void Unparseable_versions_do_not_compare(string? a)
    {
        Assert.Null(ClusterFactsReader.CompareVersions(a, "1.8"));
        Assert.False(ClusterFactsReader.IsAtLeast(a, "1.8"));
    }
}
