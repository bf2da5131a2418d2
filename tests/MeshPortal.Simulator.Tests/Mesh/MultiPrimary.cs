using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// The docs' multi-primary recipe (<c>istio.io content/en/docs/setup/install/multicluster/multi-primary[_multi-network]</c>), step by
/// step, on in-process clusters: install values (meshID, clusterName, network) and the shared root are install-time options; the
/// network label, the cross-network Gateway and the remote secrets are objects written as a user writes them.
/// </summary>
internal static class MultiPrimary
{
    public const string Httpbin = "httpbin.bar.svc.cluster.local";

    /// <summary>Two clusters of one mesh (cluster-1, cluster-2); on two networks with the east-west gateway when <paramref name="twoNetworks"/>.</summary>
    public static World Install(bool twoNetworks, string version = "1.24.3", Action<SimulatedClusterOptions>? tweak = null)
    {
        SimulatedClusterOptions Options(int i)
        {
            var o = new SimulatedClusterOptions
            {
                Name = $"cluster-{i}", IstioVersion = version, MeshId = "mesh1", ClusterId = $"cluster-{i}", CacertsAtInstall = true,
                Network = twoNetworks ? $"network{i}" : null, GlobalNetwork = twoNetworks ? $"network{i}" : null, EastWestGateway = twoNetworks,
            };
            tweak?.Invoke(o);
            return o;
        }

        var world = SeedWorld.Create(new SimulatorOptions { Clusters = 0, ClusterOverrides = [Options(1), Options(2)] });

        // httpbin runs in cluster-2 only; cluster-1 keeps its Service (no pods), so kube-dns answers the name there.
        world["cluster-1"].Delete("apps", "deployments", "bar", "httpbin");
        return world;
    }

    /// <summary>Every step of the recipe in both clusters.</summary>
    public static World Apply(World world, bool twoNetworks)
    {
        foreach (var (cluster, peer, i) in new[] { ("cluster-1", "cluster-2", 1), ("cluster-2", "cluster-1", 2) })
        {
            if (twoNetworks)
            {
                LabelNetwork(world, cluster, $"network{i}");
                ExposeServices(world, cluster);
            }

            RemoteSecret(world, cluster, peer);
        }

        return world;
    }

    public static void LabelNetwork(World world, string cluster, string network) =>
        world.Update(cluster, "", "namespaces", null, "istio-system", ns => ns["metadata"]!["labels"]!["topology.istio.io/network"] = network);

    /// <summary><c>samples/multicluster/expose-services.yaml</c>.</summary>
    public static void ExposeServices(World world, string cluster) => world[cluster].Put(SeedWorld.Obj("""
        {"apiVersion":"networking.istio.io/v1","kind":"Gateway","metadata":{"name":"cross-network-gateway","namespace":"istio-system"},
         "spec":{"selector":{"istio":"eastwestgateway"},
           "servers":[{"port":{"number":15443,"name":"tls","protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"},"hosts":["*.local"]}]}}
        """));

    /// <summary>
    /// What <c>istioctl create-remote-secret --name=&lt;peer&gt;</c> writes into <paramref name="into"/>: the peer's reader token Secret is
    /// created in the peer, and its token goes into a kubeconfig for the peer's API server.
    /// </summary>
    public static void RemoteSecret(World world, string into, string peer, string? token = null)
    {
        var target = world[peer];
        const string tokenSecret = "istio-reader-service-account-istio-remote-secret-token";
        if (target.Get("", "secrets", "istio-system", tokenSecret) is null)
        {
            target.Put(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["type"] = "kubernetes.io/service-account-token",
                ["metadata"] = new JsonObject
                {
                    ["name"] = tokenSecret, ["namespace"] = "istio-system",
                    ["annotations"] = new JsonObject { ["kubernetes.io/service-account.name"] = "istio-reader-service-account" },
                },
            });
        }

        token ??= Encoding.UTF8.GetString(Convert.FromBase64String((string)target.Get("", "secrets", "istio-system", tokenSecret)!["data"]!["token"]!));
        world[into].Put(RemoteSecretObject(peer, target.Server.ToString().TrimEnd('/'), target.CaCertificatePem, token));
    }

    public static JsonObject RemoteSecretObject(string peer, string server, string caPem, string token)
    {
        var kubeconfig = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: {Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem))}
                server: {server}
              name: {peer}
            contexts:
            - context:
                cluster: {peer}
                user: {peer}
              name: {peer}
            current-context: {peer}
            users:
            - name: {peer}
              user:
                token: {token}
            """;
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"istio-remote-secret-{peer}",
                ["namespace"] = "istio-system",
                ["labels"] = new JsonObject { ["istio/multiCluster"] = "true" },
                ["annotations"] = new JsonObject { ["networking.istio.io/cluster"] = peer },
            },
            ["stringData"] = new JsonObject { [peer] = kubeconfig },
        };
    }
}
