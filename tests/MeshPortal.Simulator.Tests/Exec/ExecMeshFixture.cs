using System.Text;
using k8s;
using k8s.Models;
using MeshPortal.Simulator.Tests.Mesh;

namespace MeshPortal.Simulator.Tests.Exec;

/// <summary>
/// Two running simulated clusters wired like the seed through their API (what the portal will do): a shared root in
/// both <c>cacerts</c>, picked up by restarting istiod and then the workloads (<c>kubectl rollout restart</c>), cluster-1's CoreDNS
/// forwarding <c>global</c> to istiocoredns, and the <c>httpbin-bar</c> ServiceEntry in cluster-1 pointing at cluster-2's gateway on 15443.
/// </summary>
public sealed class ExecMeshFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meshsim-exec-").FullName;

    public SimulatedMesh Mesh { get; private set; } = null!;

    public string KubeconfigPath => Path.Combine(_dir, "kubeconfig");

    public string TempDirectory => _dir;

    public string SleepPod { get; private set; } = "";

    public Kubernetes Client(string context = "cluster-1") =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath, context));

    public async Task InitializeAsync()
    {
        Mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 2 });
        await Mesh.WriteKubeconfigAsync(KubeconfigPath);
        using var c1 = Client("cluster-1");
        using var c2 = Client("cluster-2");

        foreach (var (client, name) in new[] { (c1, "cluster-1"), (c2, "cluster-2") })
        {
            var secret = TestPki.CacertsSecret(TestPki.Intermediate(TestPki.SharedRoot, name), TestPki.SharedRoot);
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "cacerts", NamespaceProperty = "istio-system" },
                Type = "Opaque",
                Data = secret["data"]!.AsObject().ToDictionary(kv => kv.Key, kv => Convert.FromBase64String((string)kv.Value!)),
            }, "istio-system");

            // istiod reads cacerts only when it starts, and proxies keep the certificate they got at theirs.
            foreach (var (ns, deployment) in new[] { ("istio-system", "istiod"), ("foo", "sleep"), ("bar", "httpbin") })
            {
                var stamp = DateTime.UtcNow.ToString("O");
                var restart = new V1Patch("{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + stamp + "\"}}}}}",
                    V1Patch.PatchType.StrategicMergePatch);
                await client.AppsV1.PatchNamespacedDeploymentAsync(restart, deployment, ns);
            }
        }

        var coreDnsIp = (await c1.CoreV1.ReadNamespacedServiceAsync("istiocoredns", "istio-system")).Spec.ClusterIP;
        var corefile = await c1.CoreV1.ReadNamespacedConfigMapAsync("coredns", "kube-system");
        corefile.Data["Corefile"] += $"global:53 {{\n    errors\n    cache 30\n    forward . {coreDnsIp}:53\n}}\n";
        await c1.CoreV1.ReplaceNamespacedConfigMapAsync(corefile, "coredns", "kube-system");

        var gateway = await c2.CoreV1.ReadNamespacedServiceAsync("istio-ingressgateway", "istio-system");
        var gatewayIp = gateway.Status.LoadBalancer.Ingress[0].Ip;
        var se = new Dictionary<string, object>
        {
            ["apiVersion"] = "networking.istio.io/v1alpha3",
            ["kind"] = "ServiceEntry",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "httpbin-bar" },
            ["spec"] = new Dictionary<string, object>
            {
                ["hosts"] = new[] { "httpbin.bar.global" },
                ["location"] = "MESH_INTERNAL",
                ["ports"] = new[] { new Dictionary<string, object> { ["name"] = "http1", ["number"] = 8000, ["protocol"] = "http" } },
                ["resolution"] = "DNS",
                ["addresses"] = new[] { "240.0.0.2" },
                ["endpoints"] = new[] { new Dictionary<string, object> { ["address"] = gatewayIp, ["ports"] = new Dictionary<string, int> { ["http1"] = 15443 } } },
            },
        };
        await c1.CustomObjects.CreateNamespacedCustomObjectAsync(se, "networking.istio.io", "v1alpha3", "foo", "serviceentries");

        SleepPod = (await c1.CoreV1.ListNamespacedPodAsync("foo", labelSelector: "app=sleep")).Items.Single().Metadata.Name;
    }

    public async Task DisposeAsync()
    {
        await Mesh.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
