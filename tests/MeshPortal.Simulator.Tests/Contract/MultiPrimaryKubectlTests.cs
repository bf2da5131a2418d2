using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Tests.Support;

namespace MeshPortal.Simulator.Tests.Contract;

/// <summary>
/// Green where reality is green: the multi-primary, multi-network recipe of the Istio docs applied by hand with the real kubectl
/// (network label, east-west gateway, cross-network-gateway, remote secrets from the reader account) gives 200 for
/// <c>curl httpbin.bar.svc.cluster.local:8000/headers</c> from cluster-1, istiod's clusterz shows the remote cluster synced, and
/// taking a piece away gives the failure the reference names. Install values (meshID, clusterName, network, the plug-in CA created
/// before istiod) are the clusters' install options, as in the docs.
/// </summary>
public sealed class MultiPrimaryKubectlTests(MultiPrimaryKubectlTests.Fixture fx) : IClassFixture<MultiPrimaryKubectlTests.Fixture>
{
    public sealed class Fixture : MeshFixture
    {
        protected override SimulatorOptions Options()
        {
            SimulatedClusterOptions Cluster(int i) => new()
            {
                Name = $"cluster-{i}", IstioVersion = "1.24.3", MeshId = "mesh1", ClusterId = $"cluster-{i}", CacertsAtInstall = true,
                Network = $"network{i}", GlobalNetwork = $"network{i}",
            };
            return new SimulatorOptions { Clusters = 0, ClusterOverrides = [Cluster(1), Cluster(2)] };
        }
    }

    private readonly Kubectl _kubectl = new(fx);

    private const string Curl = "curl -sS -o /dev/null -w '%{http_code}' httpbin.bar.svc.cluster.local:8000/headers";

    private static string EastWestGateway(string network) => $$"""
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: istio-eastwestgateway-service-account
          namespace: istio-system
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: istio-eastwestgateway
          namespace: istio-system
          labels: {app: istio-eastwestgateway, istio: eastwestgateway, topology.istio.io/network: {{network}}}
        spec:
          selector:
            matchLabels: {app: istio-eastwestgateway, istio: eastwestgateway}
          template:
            metadata:
              annotations: {inject.istio.io/templates: gateway}
              labels: {app: istio-eastwestgateway, istio: eastwestgateway, topology.istio.io/network: {{network}}, sidecar.istio.io/inject: "true"}
            spec:
              serviceAccountName: istio-eastwestgateway-service-account
              containers:
              - name: istio-proxy
                image: auto
                env:
                - {name: ISTIO_META_REQUESTED_NETWORK_VIEW, value: {{network}}}
                ports:
                - {containerPort: 15021, name: status-port}
                - {containerPort: 15443, name: tls}
                - {containerPort: 15012, name: tls-istiod}
                - {containerPort: 15017, name: tls-webhook}
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: istio-eastwestgateway
          namespace: istio-system
          labels: {app: istio-eastwestgateway, istio: eastwestgateway, topology.istio.io/network: {{network}}}
        spec:
          type: LoadBalancer
          selector: {app: istio-eastwestgateway, istio: eastwestgateway}
          ports:
          - {name: status-port, port: 15021, targetPort: 15021}
          - {name: tls, port: 15443, targetPort: 15443}
          - {name: tls-istiod, port: 15012, targetPort: 15012}
          - {name: tls-webhook, port: 15017, targetPort: 15017}
        """;

    private const string ExposeServices = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata:
          name: cross-network-gateway
        spec:
          selector:
            istio: eastwestgateway
          servers:
            - port:
                number: 15443
                name: tls
                protocol: TLS
              tls:
                mode: AUTO_PASSTHROUGH
              hosts:
                - "*.local"
        """;

    internal const string ReaderToken = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: istio-reader-service-account-istio-remote-secret-token
          namespace: istio-system
          annotations:
            kubernetes.io/service-account.name: istio-reader-service-account
        type: kubernetes.io/service-account-token
        """;

    private async Task ApplyAsync(string context, string yaml, params string[] extra)
    {
        var file = Path.Combine(fx.TempDirectory, $"{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        await _kubectl.OkAsync(["--context", context, "apply", "-f", file, .. extra]);
    }

    /// <summary>What <c>istioctl create-remote-secret --name=peer</c> prints (as JSON, which kubectl applies alike), from the peer's reader token.</summary>
    private async Task<string> RemoteSecretAsync(string peer)
    {
        await ApplyAsync(peer, ReaderToken);
        var token = Encoding.UTF8.GetString(Convert.FromBase64String(await _kubectl.OkAsync("--context", peer, "get", "secret", "-n", "istio-system",
            "istio-reader-service-account-istio-remote-secret-token", "-o", "jsonpath={.data.token}")));
        var cluster = fx.Mesh[peer];
        return Mesh.MultiPrimary.RemoteSecretObject(peer, cluster.Server.ToString().TrimEnd('/'), cluster.CaCertificatePem, token).ToJsonString();
    }

    private async Task<string> CurlFromCluster1Async()
    {
        var pod = await _kubectl.OkAsync("--context", "cluster-1", "get", "pod", "-n", "foo", "-l", "app=sleep", "-o", "jsonpath={.items[0].metadata.name}");
        var r = await _kubectl.RunAsync("--context", "cluster-1", "exec", pod, "-n", "foo", "-c", "sleep", "--", "sh", "-c", Curl);
        return r.Stdout;
    }

    [KubectlFact]
    public async Task The_docs_recipe_applied_with_kubectl_connects_two_networks_and_each_missing_piece_breaks_it()
    {
        await _kubectl.OkAsync("--context", "cluster-1", "delete", "deployment", "httpbin", "-n", "bar");
        foreach (var (cluster, peer, network) in new[] { ("cluster-1", "cluster-2", "network1"), ("cluster-2", "cluster-1", "network2") })
        {
            await _kubectl.OkAsync("--context", cluster, "label", "namespace", "istio-system", $"topology.istio.io/network={network}");
            await ApplyAsync(cluster, EastWestGateway(network));
            await ApplyAsync(cluster, ExposeServices, "-n", "istio-system");
            await ApplyAsync(cluster, await RemoteSecretAsync(peer));
        }

        var eastWest = await _kubectl.OkAsync("--context", "cluster-2", "get", "svc", "istio-eastwestgateway", "-n", "istio-system", "-o", "jsonpath={.status.loadBalancer.ingress[0].ip}");
        Assert.StartsWith("198.18.2.", eastWest);
        Assert.Equal("200", await CurlFromCluster1Async());

        var clusterz = JsonNode.Parse(await _kubectl.OkAsync("--context", "cluster-1", "get", "--raw", "/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/clusterz"))!.AsArray();
        Assert.Equal("""[{"id":"cluster-1","secretName":"","syncStatus":"synced"},{"id":"cluster-2","secretName":"istio-system/istio-remote-secret-cluster-2","syncStatus":"synced"}]""",
            clusterz.ToJsonString());

        // No cross-network Gateway on the east-west gateway: nothing listens on 15443 there.
        await _kubectl.OkAsync("--context", "cluster-2", "delete", "gateway.networking.istio.io", "cross-network-gateway", "-n", "istio-system");
        Assert.Equal("503", await CurlFromCluster1Async());
        await ApplyAsync("cluster-2", ExposeServices, "-n", "istio-system");
        Assert.Equal("200", await CurlFromCluster1Async());

        // The reader token revoked in cluster-2: cluster-1's istiod cannot list it any more.
        await _kubectl.OkAsync("--context", "cluster-2", "delete", "secret", "istio-reader-service-account-istio-remote-secret-token", "-n", "istio-system");
        Assert.Equal("503", await CurlFromCluster1Async());
        var status = JsonNode.Parse(await _kubectl.OkAsync("--context", "cluster-1", "get", "--raw", "/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/clusterz"))!;
        Assert.Contains((string?)status[1]!["syncStatus"], new[] { "syncing", "timeout" });

        // A fresh remote secret from a new reader token brings it back.
        await ApplyAsync("cluster-1", await RemoteSecretAsync("cluster-2"));
        Assert.Equal("200", await CurlFromCluster1Async());
    }

    [KubectlFact]
    public async Task A_reader_token_cannot_write()
    {
        await ApplyAsync("cluster-2", ReaderToken);
        var token = Encoding.UTF8.GetString(Convert.FromBase64String(await _kubectl.OkAsync("--context", "cluster-2", "get", "secret", "-n", "istio-system",
            "istio-reader-service-account-istio-remote-secret-token", "-o", "jsonpath={.data.token}")));

        var read = await _kubectl.RunAsync("--context", "cluster-2", "--token", token, "get", "pods", "-n", "bar");
        Assert.True(read.ExitCode == 0, read.Stderr);
        var write = await _kubectl.RunAsync("--context", "cluster-2", "--token", token, "create", "namespace", "nope");
        Assert.NotEqual(0, write.ExitCode);
        Assert.Contains("Error from server (Forbidden): namespaces is forbidden: User \"system:serviceaccount:istio-system:istio-reader-service-account\" cannot create resource \"namespaces\"", write.Stderr);
    }
}

/// <summary>The same recipe on one network: remote secrets are the only step, and the sidecar reaches the remote pod directly.</summary>
public sealed class SingleNetworkKubectlTests(SingleNetworkKubectlTests.Fixture fx) : IClassFixture<SingleNetworkKubectlTests.Fixture>
{
    public sealed class Fixture : MeshFixture
    {
        protected override SimulatorOptions Options()
        {
            SimulatedClusterOptions Cluster(int i) => new()
            {
                Name = $"cluster-{i}", IstioVersion = "1.24.3", MeshId = "mesh1", ClusterId = $"cluster-{i}", CacertsAtInstall = true,
            };
            return new SimulatorOptions { Clusters = 0, ClusterOverrides = [Cluster(1), Cluster(2)] };
        }
    }

    private readonly Kubectl _kubectl = new(fx);

    [KubectlFact]
    public async Task Remote_secrets_alone_connect_clusters_on_one_network()
    {
        await _kubectl.OkAsync("--context", "cluster-1", "delete", "deployment", "httpbin", "-n", "bar");
        var pod = await _kubectl.OkAsync("--context", "cluster-1", "get", "pod", "-n", "foo", "-l", "app=sleep", "-o", "jsonpath={.items[0].metadata.name}");
        async Task<string> CurlAsync() => (await _kubectl.RunAsync("--context", "cluster-1", "exec", pod, "-n", "foo", "-c", "sleep", "--",
            "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "httpbin.bar.svc.cluster.local:8000/headers")).Stdout;
        Assert.Equal("503", await CurlAsync()); // the local Service has no pods, and no other cluster is known

        var file = Path.Combine(fx.TempDirectory, "token.yaml");
        await File.WriteAllTextAsync(file, MultiPrimaryKubectlTests.ReaderToken);
        await _kubectl.OkAsync("--context", "cluster-2", "apply", "-f", file);
        var token = Encoding.UTF8.GetString(Convert.FromBase64String(await _kubectl.OkAsync("--context", "cluster-2", "get", "secret", "-n", "istio-system",
            "istio-reader-service-account-istio-remote-secret-token", "-o", "jsonpath={.data.token}")));
        var secret = Mesh.MultiPrimary.RemoteSecretObject("cluster-2", fx.Mesh["cluster-2"].Server.ToString().TrimEnd('/'), fx.Mesh["cluster-2"].CaCertificatePem, token);
        var secretFile = Path.Combine(fx.TempDirectory, "remote.json");
        await File.WriteAllTextAsync(secretFile, secret.ToJsonString());
        await _kubectl.OkAsync("--context", "cluster-1", "apply", "-f", secretFile);

        Assert.Equal("200", await CurlAsync());
    }
}
