using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>Facts about a pod that the mesh rules use.</summary>
internal static class PodFacts
{
    public const string SidecarName = "istio-proxy";

    /// <summary>An Envoy of any kind (sidecar or gateway): an <c>istio-proxy</c> container.</summary>
    public static bool HasProxy(JsonObject? pod) => Proxy(pod) is not null;

    /// <summary>A sidecar: an <c>istio-proxy</c> container that is not a gateway's (<c>proxy router</c>).</summary>
    public static bool HasSidecar(JsonObject? pod) => Proxy(pod) is { } proxy && !IsRouter(proxy);

    /// <summary>A gateway proxy: <c>istio-proxy</c> running <c>proxy router</c> (istio-ingress chart, or the injected gateway template).</summary>
    public static bool IsGateway(JsonObject? pod) => Proxy(pod) is { } proxy && IsRouter(proxy);

    public static JsonObject? Proxy(JsonObject? pod) =>
        pod.Objects("spec", "containers").Concat(pod.Objects("spec", "initContainers")).FirstOrDefault(c => c.Str("name") == SidecarName);

    /// <summary>An env value of the pod's istio-proxy container (what the agent/Envoy runs with), or null.</summary>
    public static string? ProxyEnv(JsonObject? pod, string name) =>
        Proxy(pod).Objects("env").LastOrDefault(e => e.Str("name") == name)?.Str("value");

    /// <summary>The revision of the istiod a proxy talks to.</summary>
    public static string Revision(JsonObject? pod) => pod.Str("metadata", "labels", "istio.io/rev") ?? "default";

    private static bool IsRouter(JsonObject proxy) => proxy.Strings("args").Contains("router");

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
