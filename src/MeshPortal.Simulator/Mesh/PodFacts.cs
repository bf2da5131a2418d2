using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>Facts about a pod that the mesh rules use.</summary>
internal static class PodFacts
{
    public const string SidecarName = "istio-proxy";

    public static bool HasSidecar(JsonObject? pod) =>
        pod.Objects("spec", "containers").Concat(pod.Objects("spec", "initContainers")).Any(c => c.Str("name") == SidecarName);

    public static bool IsRunning(JsonObject? pod) => pod.Str("status", "phase") == "Running";

    /// <summary>Running, not being deleted, and its Ready condition (when reported) is True.</summary>
    public static bool IsReady(JsonObject? pod)
    {
        if (!IsRunning(pod) || pod.Str("metadata", "deletionTimestamp") is not null)
        {
            return false;
        }

        var ready = pod.Objects("status", "conditions").FirstOrDefault(c => c.Str("type") == "Ready");
        return ready is null || ready.Str("status") == "True";
    }

    public static string Hostname(JsonObject? pod) => pod.Str("spec", "hostname") ?? pod.Name();

    public static string ServiceAccount(JsonObject? pod) => pod.Str("spec", "serviceAccountName") ?? "default";

    public static string? PodIp(JsonObject? pod) => pod.Str("status", "podIP");

    /// <summary>The pods a Service selects: same namespace, every selector label matching. No selector selects nothing.</summary>
    public static IReadOnlyList<JsonObject> SelectedBy(IMeshClusterView cluster, JsonObject service)
    {
        var selector = service.Map("spec", "selector");
        if (selector.Count == 0)
        {
            return [];
        }

        return cluster.List("", "pods", service.Namespace())
            .Where(pod =>
            {
                var labels = pod.Map("metadata", "labels");
                return selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
            })
            .ToList();
    }
}
