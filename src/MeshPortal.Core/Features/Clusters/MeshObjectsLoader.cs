using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Kubernetes;
using k8s;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>
/// Reads the objects the "mesh model" stage decides from (<see cref="MeshObjects"/>): istiod, the mesh ConfigMap, the
/// ingress gateway, <c>istio-system</c> and its Services and Gateways, the multicluster overlay's EnvoyFilter and
/// DestinationRule, and whether the MCS CRDs are served. Read-only; a resource the API does not serve reads as absent.
/// </summary>
internal static class MeshObjectsLoader
{
    private const string Ns = IstioStages.IstioNamespace;

    public static async Task<MeshObjects> LoadAsync(IKubernetes k, string? kubernetesVersion, CancellationToken ct)
    {
        var groups = await KubeObjectOperations.GetGroupVersionsAsync(k, ct).ConfigureAwait(false);
        var networking = groups.TryGetValue("networking.istio.io", out var versions) && versions.Count > 0 ? versions[0] : null;
        var istiod = await KubeOperations.GetDeploymentAsync(k, Ns, "istiod", ct).ConfigureAwait(false);
        var revision = istiod?.Spec?.Template?.Spec?.Containers?.FirstOrDefault(c => c.Name == "discovery")?.Env?
            .FirstOrDefault(e => e.Name == "REVISION")?.Value;
        var meshName = string.IsNullOrEmpty(revision) || revision == "default" ? "istio" : $"istio-{revision}";

        return new MeshObjects
        {
            Istiod = Json(istiod),
            MeshConfigMap = Json(await KubeOperations.GetConfigMapAsync(k, Ns, meshName, ct).ConfigureAwait(false)
                                 ?? await KubeOperations.GetConfigMapAsync(k, Ns, "istio", ct).ConfigureAwait(false)),
            IngressDeployment = Json(await KubeOperations.GetDeploymentAsync(k, Ns, "istio-ingressgateway", ct).ConfigureAwait(false)),
            IngressService = Json(await KubeOperations.GetServiceAsync(k, Ns, "istio-ingressgateway", ct).ConfigureAwait(false)),
            IstioSystemNamespace = await KubeObjectOperations.GetAsync(k, ObjectRefNs(), ct).ConfigureAwait(false),
            IstioSystemServices = [.. (await KubeOperations.ListServicesAsync(k, Ns, ct).ConfigureAwait(false)).Select(s => Json(s)!)],
            IstioSystemGateways = networking is null ? [] : await ListAsync(k, "networking.istio.io", networking, "gateways", ct).ConfigureAwait(false),
            OverlayEnvoyFilter = groups.ContainsKey("networking.istio.io") && groups["networking.istio.io"].Contains("v1alpha3")
                ? await KubeObjectOperations.GetAsync(k, new ObjectRef("networking.istio.io", "v1alpha3", "envoyfilters", "EnvoyFilter", Ns, MeshFactsReader.OverlayName), ct).ConfigureAwait(false)
                : null,
            OverlayDestinationRule = networking is null ? null
                : await KubeObjectOperations.GetAsync(k, new ObjectRef("networking.istio.io", networking, "destinationrules", "DestinationRule", Ns, MeshFactsReader.OverlayName), ct).ConfigureAwait(false),
            McsCrds = groups.ContainsKey("multicluster.x-k8s.io"),
            KubernetesVersion = kubernetesVersion,
        };
    }

    private static ObjectRef ObjectRefNs() => new("", "v1", "namespaces", "Namespace", null, Ns);

    private static async Task<IReadOnlyList<JsonObject>> ListAsync(IKubernetes k, string group, string version, string plural, CancellationToken ct)
    {
        try
        {
            var list = await ClusterCallMapper.Run($"Listing {plural}.{group} in {Ns}",
                () => k.CustomObjects.ListNamespacedCustomObjectAsync(group, version, Ns, plural, cancellationToken: ct), ct).ConfigureAwait(false);
            var node = JsonNode.Parse(KubernetesJson.Serialize(list)) as JsonObject;
            return [.. (node?["items"] as JsonArray ?? []).OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone())];
        }
        catch (ClusterCallException ex) when (ex.Kind == ClusterCallErrorKind.NotFound)
        {
            return [];
        }
    }

    private static JsonObject? Json(object? value) => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value)) as JsonObject;
}
