using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Store;

/// <summary>
/// Istio's sidecar injection webhook, generically: a pod created in a namespace labelled <c>istio-injection=enabled</c> (or with an
/// <c>istio.io/rev</c> label) gets an <c>istio-proxy</c> container and the injector's status annotation, unless the pod opts out with
/// <c>sidecar.istio.io/inject: "false"</c> or already has one. Pod containers cannot change after creation, so an update keeps an
/// injected sidecar that the new body leaves out (as server-side apply does with a list merged by name).
/// </summary>
internal static class SidecarInjector
{
    private const string Sidecar = "istio-proxy";
    private const string StatusAnnotation = "sidecar.istio.io/status";

    public static void Apply(JsonObject pod, JsonObject? old, JsonObject? @namespace, string istioVersion)
    {
        if (pod["spec"] is not JsonObject spec)
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

        if (old is not null)
        {
            // Keep what the webhook added at creation.
            if (old["spec"]?["containers"] is JsonArray before && before.OfType<JsonObject>().FirstOrDefault(IsSidecar) is { } kept)
            {
                containers.Add(kept.DeepClone());
                CopyStatusAnnotation(pod, old);
            }

            return;
        }

        var nsLabels = @namespace?["metadata"]?["labels"] as JsonObject;
        var injected = (string?)nsLabels?["istio-injection"] == "enabled" || nsLabels?["istio.io/rev"] is not null;
        var optOut = (string?)pod["metadata"]?["annotations"]?["sidecar.istio.io/inject"] == "false"
            || (string?)pod["metadata"]?["labels"]?["sidecar.istio.io/inject"] == "false";
        if (!injected || optOut)
        {
            return;
        }

        containers.Add(Seed.SeedObjects.Sidecar(istioVersion));
        var meta = pod["metadata"]!.AsObject();
        if (meta["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            meta["annotations"] = annotations;
        }

        annotations[StatusAnnotation] = (string?)Seed.SeedObjects.InjectedAnnotations()[StatusAnnotation];
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
