using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Store;

/// <summary>
/// Keeps an injected sidecar across updates: pod containers cannot change after creation, so an update that leaves out the
/// <c>istio-proxy</c> container the injection webhook added keeps it (as server-side apply does with a list merged by name).
/// The injection itself happens when the pod is created (<see cref="Controllers.InjectionWebhook"/>), with the cluster's install
/// and its istiod in view.
/// </summary>
internal static class SidecarInjector
{
    private const string Sidecar = "istio-proxy";
    private const string StatusAnnotation = "sidecar.istio.io/status";

    public static void Apply(JsonObject pod, JsonObject? old, JsonObject? @namespace, string istioVersion)
    {
        if (old is null || pod["spec"] is not JsonObject spec)
        {
            return;
        }

        if (spec["containers"] is not JsonArray containers)
        {
            containers = [];
            spec["containers"] = containers;
        }

        if (Has(containers))
        {
            return;
        }

        if (old["spec"]?["containers"] is JsonArray before && before.OfType<JsonObject>().FirstOrDefault(IsSidecar) is { } kept)
        {
            containers.Add(kept.DeepClone());
            CopyStatusAnnotation(pod, old);
        }
    }
    private static bool IsSidecar(JsonObject c) => (string?)c["name"] == Sidecar;

    private static bool Has(JsonArray containers) => containers.OfType<JsonObject>().Any(IsSidecar);

    private static void CopyStatusAnnotation(JsonObject pod, JsonObject old)
    {
        if ((string?)old["metadata"]?["annotations"]?[StatusAnnotation] is not { } status)
        {
            return;
        }

        var meta = pod["metadata"]!.AsObject();
        if (meta["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            meta["annotations"] = annotations;
        }

        annotations[StatusAnnotation] = status;
    }
}
