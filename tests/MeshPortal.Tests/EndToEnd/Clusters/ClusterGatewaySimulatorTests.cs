using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.EndToEnd.Clusters;

/// <summary>The gateway and the client cache against a simulated cluster.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class ClusterGatewaySimulatorTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private ClusterConnection Connection(string name, int version = 1, string? kubeconfig = null) =>
        new(Id: name.GetHashCode(StringComparison.Ordinal), name, kubeconfig ?? sim.Mesh[name].KubeconfigYaml, name, version);

    [Fact]
    public async Task Gateway_reads_what_the_checks_and_the_export_picker_need()
    {
        using var h = new CheckerHarness(requestTimeoutSeconds: 5);
        var c = Connection("cluster-1");
        var ct = CancellationToken.None;

        Assert.StartsWith("v", (await h.Gateway.GetVersionAsync(c, ct)).GitVersion);
        Assert.Contains(await h.Gateway.ListNamespacesAsync(c, ct), n => n.Metadata.Name == "istio-system");
        Assert.Equal("docker.io/istio/pilot:1.6.8",
            (await h.Gateway.GetDeploymentAsync(c, "istio-system", "istiod", ct))!.Spec.Template.Spec.Containers.Single(x => x.Name == "discovery").Image);
        Assert.Contains(await h.Gateway.ListDeploymentsAsync(c, null, ct), d => d.Metadata.Name == "httpbin");
        Assert.Contains(await h.Gateway.ListServicesAsync(c, "bar", ct), s => s.Metadata.Name == "httpbin");
        Assert.Contains(await h.Gateway.ListServicesAsync(c, null, ct), s => s.Metadata.Name == "istio-ingressgateway");
        Assert.NotNull(await h.Gateway.GetServiceAsync(c, "istio-system", "istio-ingressgateway", ct));
        Assert.NotNull(await h.Gateway.GetConfigMapAsync(c, "kube-system", "coredns", ct));
        Assert.NotEmpty(await h.Gateway.ListPodsAsync(c, "istio-system", "istio=ingressgateway", ct));
        Assert.Null(await h.Gateway.GetServiceAsync(c, "istio-system", "no-such-service", ct));
        Assert.Null(await h.Gateway.GetConfigMapAsync(c, "no-such-namespace", "x", ct));
    }

    [Fact]
    public void One_client_per_cluster_and_credential_version()
    {
        using var h = new CheckerHarness();
        var first = h.Clients.GetClient(Connection("cluster-1", 1));
        Assert.Same(first, h.Clients.GetClient(Connection("cluster-1", 1)));

        var second = h.Clients.GetClient(Connection("cluster-1", 2));
        Assert.NotSame(first, second);
        Assert.Same(second, h.Clients.GetClient(Connection("cluster-1", 2)));
        Assert.NotSame(second, h.Clients.GetClient(Connection("modern", 2)));
    }

    [Fact]
    public async Task Wrong_token_is_unauthorized_and_the_message_has_no_secret()
    {
        using var h = new CheckerHarness();
        var cluster = sim.Mesh["cluster-1"];
        var c = Connection("cluster-1", 7, cluster.KubeconfigYaml.Replace(cluster.Token, "wrong-token-abc", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<ClusterCallException>(() => h.Gateway.ListNamespacesAsync(c, CancellationToken.None));
        Assert.Equal(ClusterCallErrorKind.Unauthorized, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        Assert.DoesNotContain("wrong-token-abc", ex.ToString());
    }

    [Fact]
    public async Task Faults_map_to_error_kinds()
    {
        using var h = new CheckerHarness(requestTimeoutSeconds: 2);
        var cluster = sim.Mesh["bare"];
        var c = Connection("bare");
        try
        {
            cluster.Faults.ApiErrorStatus = 503;
            var server = await Assert.ThrowsAsync<ClusterCallException>(() => h.Gateway.GetVersionAsync(c, CancellationToken.None));
            Assert.True(server is { Kind: ClusterCallErrorKind.ServerError, StatusCode: 503 }, server.Message);

            cluster.Faults.Reset();
            cluster.Faults.TooManyRequests = true;
            var throttled = await Assert.ThrowsAsync<ClusterCallException>(() => h.Gateway.GetVersionAsync(c, CancellationToken.None));
            Assert.True(throttled.Kind == ClusterCallErrorKind.TooManyRequests, $"{throttled.Kind}: {throttled.Message}");

            cluster.Faults.Reset();
            cluster.Faults.ApiLatency = TimeSpan.FromSeconds(6);
            var slow = await Assert.ThrowsAsync<ClusterCallException>(() => h.Gateway.GetVersionAsync(c, CancellationToken.None));
            Assert.True(slow.Kind == ClusterCallErrorKind.Timeout, $"{slow.Kind}: {slow.Message}");
        }
        finally
        {
            cluster.Faults.Reset();
        }
    }
}
