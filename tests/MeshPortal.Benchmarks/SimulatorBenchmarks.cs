using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using MeshPortal.Simulator;
using k8s;

namespace MeshPortal.Benchmarks;

/// <summary>
/// Simulator figures: start time of 50 clusters, memory per cluster, and simple GETs per second on loopback
/// (HttpClient with CA validation, 8 concurrent clients, 20,000 requests; then the real KubernetesClient).
/// </summary>
internal static class SimulatorBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clusters = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        const int requests = 20_000;
        const int concurrency = 8;

        // Warm up the JIT and the TLS stack with a small mesh.
        await using (var warm = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 2 }))
        {
            await GetsPerSecondAsync(warm.Clusters[0], 500, concurrency);
        }

        var heapBefore = Heap();
        var wsBefore = Environment.WorkingSet;
        var watch = Stopwatch.StartNew();
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = clusters });
        var startMs = watch.ElapsedMilliseconds;
        var heapAfter = Heap();
        var wsAfter = Environment.WorkingSet;
        Console.WriteLine($"start {clusters} clusters:          {startMs} ms");
        Console.WriteLine($"managed heap per cluster:     {(heapAfter - heapBefore) / clusters / 1024.0:F0} KiB");
        Console.WriteLine($"working set per cluster:      {(wsAfter - wsBefore) / clusters / 1024.0:F0} KiB");

        var http = await GetsPerSecondAsync(mesh.Clusters[0], requests, concurrency);
        Console.WriteLine($"HttpClient GET pod:           {http:F0} req/s ({requests} requests, {concurrency} concurrent)");
        var spread = await GetsPerSecondAsync(mesh.Clusters[^1], requests / 2, concurrency, list: true);
        Console.WriteLine($"HttpClient LIST pods -A:      {spread:F0} req/s ({requests / 2} requests, {concurrency} concurrent)");
        var client = await KubernetesClientGetsPerSecondAsync(mesh, requests / 4, concurrency);
        Console.WriteLine($"KubernetesClient GET pod:     {client:F0} req/s ({requests / 4} requests, {concurrency} concurrent)");

        // Admission cost: server-side apply of distinct ServiceEntries (schema, CEL and istiod's webhook on every write).
        const int applies = 2_000;
        var old = await ApplyServiceEntriesPerSecondAsync(mesh, mesh.Clusters[0], applies, concurrency);
        Console.WriteLine($"SSA ServiceEntry (Istio {mesh.Clusters[0].IstioVersion}): {old:F0} req/s ({applies} applies, {concurrency} concurrent)");
        await using var current = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 1, Defaults = new SimulatedClusterOptions { IstioVersion = "1.24.3" } });
        var recent = await ApplyServiceEntriesPerSecondAsync(current, current.Clusters[0], applies, concurrency);
        Console.WriteLine($"SSA ServiceEntry (Istio 1.24.3): {recent:F0} req/s ({applies} applies, {concurrency} concurrent)");
        return 0;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<double> GetsPerSecondAsync(SimulatedCluster cluster, int count, int concurrency, bool list = false)
    {
        var ca = X509Certificate2.CreateFromPem(cluster.CaCertificatePem);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return cert is X509Certificate2 c && chain.Build(c);
        };
        using var http = new HttpClient(handler) { BaseAddress = cluster.Server };
        http.DefaultRequestHeaders.Authorization = new("Bearer", cluster.Token);
        var pod = cluster.List("", "pods", "foo")[0]["metadata"]!["name"]!.ToString();
        var path = list ? "/api/v1/pods" : $"/api/v1/namespaces/foo/pods/{pod}";
        var remaining = count;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                using var response = await http.GetAsync(path);
                response.EnsureSuccessStatusCode();
                await response.Content.CopyToAsync(Stream.Null);
            }
        }));
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> ApplyServiceEntriesPerSecondAsync(SimulatedMesh mesh, SimulatedCluster cluster, int count, int concurrency)
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshsim-bench-apply-{Environment.ProcessId}.kubeconfig");
        await mesh.WriteKubeconfigAsync(path);
        try
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path, cluster.Name));
            var version = cluster.IstioVersion.StartsWith("1.6", StringComparison.Ordinal) ? "v1beta1" : "v1";
            var next = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) <= count)
                {
                    var se = new Dictionary<string, object>
                    {
                        ["apiVersion"] = $"networking.istio.io/{version}", ["kind"] = "ServiceEntry",
                        ["metadata"] = new Dictionary<string, object> { ["name"] = $"bench-{i}", ["namespace"] = "foo" },
                        ["spec"] = new Dictionary<string, object>
                        {
                            ["hosts"] = new[] { $"svc-{i}.bar.global" }, ["location"] = "MESH_INTERNAL", ["resolution"] = "DNS",
                            ["addresses"] = new[] { $"240.0.{i / 250}.{i % 250 + 1}" },
                            ["ports"] = new[] { new Dictionary<string, object> { ["name"] = "http1", ["number"] = 8000, ["protocol"] = "http" } },
                            ["endpoints"] = new[] { new Dictionary<string, object> { ["address"] = "203.0.113.2", ["ports"] = new Dictionary<string, int> { ["http1"] = 15443 } } },
                        },
                    };
                    await client.CustomObjects.PatchNamespacedCustomObjectAsync(new k8s.Models.V1Patch(se, k8s.Models.V1Patch.PatchType.ApplyPatch),
                        "networking.istio.io", version, "foo", "serviceentries", $"bench-{i}", fieldManager: "bench", force: true);
                }
            }));
            return count / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<double> KubernetesClientGetsPerSecondAsync(SimulatedMesh mesh, int count, int concurrency)
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshsim-bench-{Environment.ProcessId}.kubeconfig");
        await mesh.WriteKubeconfigAsync(path);
        try
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path, mesh.Clusters[0].Name));
            var pod = mesh.Clusters[0].List("", "pods", "foo")[0]["metadata"]!["name"]!.ToString();
            var remaining = count;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    await client.CoreV1.ReadNamespacedPodAsync(pod, "foo");
                }
            }));
            return count / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
