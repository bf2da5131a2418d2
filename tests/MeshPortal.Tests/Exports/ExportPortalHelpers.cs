using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support;

namespace MeshPortal.Tests.Exports;

/// <summary>Registering simulated clusters under unique names, reading JSON, and running curl in a simulated sleep pod.</summary>
internal static class ExportPortalHelpers
{
    public static Task<string> RegisterAsync(HttpClient api, PortalFixture portal, string simulated, string prefix) =>
        RegisterAsync(api, portal.Mesh, simulated, prefix);

    public static async Task<string> RegisterAsync(HttpClient api, MeshPortal.Simulator.SimulatedMesh mesh, string simulated, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = mesh[simulated].KubeconfigYaml, context = simulated });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject();

    /// <summary>Runs <c>curl</c> in the sleep pod of namespace foo through the cluster's pods/exec, like kubectl exec.</summary>
    public static async Task<(int Exit, string Output)> CurlFromSleepAsync(SimulatedCluster cluster, params string[] args)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(cluster.KubeconfigYaml));
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
        var pod = cluster.List("", "pods", "foo").First(p => (string?)p["metadata"]!["labels"]?["app"] == "sleep");
        var output = "";
        var exit = await client.NamespacedPodExecAsync((string)pod["metadata"]!["name"]!, "foo", "sleep", ["curl", .. args], false,
            async (_, stdout, stderr) =>
            {
                using var o = new StreamReader(stdout);
                using var e = new StreamReader(stderr);
                var outText = o.ReadToEndAsync();
                var errText = e.ReadToEndAsync();
                output = await outText + await errText;
            }, CancellationToken.None);
        return (exit, output);
    }

    /// <summary>A second Service ("web" in bar) in front of the cluster's httpbin pods: a service only that cluster runs.</summary>
    public static void AddWebService(SimulatedCluster cluster)
    {
        var web = cluster.Get("", "services", "bar", "httpbin")!.DeepClone().AsObject();
        web["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "bar" };
        web["spec"]!.AsObject().Remove("clusterIP");
        web["spec"]!.AsObject().Remove("clusterIPs");
        web.Remove("status");
        cluster.Put(web);
    }
}
