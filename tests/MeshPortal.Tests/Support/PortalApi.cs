using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support;
using k8s;

namespace MeshPortal.Tests.Support;

/// <summary>
/// Calls against the portal that many tests share: registering simulated clusters under unique names, reading JSON answers,
/// the mesh root, the audit log, and running curl in a simulated sleep pod.
/// </summary>
internal static class PortalApi
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

    /// <summary>Registers a cluster of a (private) simulated mesh under a unique name.</summary>
    public static async Task<string> RegisterAsync(HttpClient api, SimulatedCluster cluster, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = cluster.KubeconfigYaml, context = cluster.Name });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>The answer's JSON; an answer that is not JSON fails the test with its status and start.</summary>
    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonNode.Parse(text) ?? new JsonObject();
        }
        catch (System.Text.Json.JsonException)
        {
            throw new Xunit.Sdk.XunitException($"Expected JSON, got {(int)response.StatusCode}: {text[..Math.Min(500, text.Length)]}");
        }
    }

    /// <summary>A generated mesh root, unless one exists already (the portal has one root for the whole run).</summary>
    public static async Task EnsureRootAsync(HttpClient api)
    {
        var response = await api.PostAsJsonAsync("/api/v1/trust/root", new { mode = "generate", keyType = "EcdsaP256" });
        Assert.True(response.StatusCode is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The client address the audit log recorded for the newest entry of <paramref name="action"/>.</summary>
    public static async Task<string?> LastRemoteIpAsync(HttpClient admin, string action)
    {
        var page = await JsonAsync(await admin.GetAsync("/api/v1/audit"));
        return (string?)page["items"]!.AsArray().First(e => (string?)e!["action"] == action)!["remoteIp"];
    }

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
