using System.Text.Json.Nodes;

namespace MeshPortal.Core.Features.MeshModel;

/// <summary>
/// The objects of <c>istio-system</c> (and a few beside it) that the "mesh model" stage reads, as the API server returned them.
/// Null or empty when the object does not exist (or could not be read).
/// </summary>
public sealed record MeshObjects
{
    /// <summary>istiod's Deployment (<c>istiod</c>, or <c>istiod-&lt;rev&gt;</c> for a revision install).</summary>
    public JsonObject? Istiod { get; init; }

    /// <summary>The mesh ConfigMap (<c>istio</c>, or <c>istio-&lt;rev&gt;</c>).</summary>
    public JsonObject? MeshConfigMap { get; init; }

    public JsonObject? IngressDeployment { get; init; }

    public JsonObject? IngressService { get; init; }

    public JsonObject? IstioSystemNamespace { get; init; }

    /// <summary>Every Service of <c>istio-system</c> (east-west gateways, istiocoredns).</summary>
    public IReadOnlyList<JsonObject> IstioSystemServices { get; init; } = [];

    /// <summary>Every Gateway of <c>istio-system</c> (the overlay's <c>*.global</c> one, <c>cross-network-gateway</c>).</summary>
    public IReadOnlyList<JsonObject> IstioSystemGateways { get; init; } = [];

    /// <summary><c>istio-system/istio-multicluster-ingressgateway</c> EnvoyFilter of the multicluster-gateways overlay.</summary>
    public JsonObject? OverlayEnvoyFilter { get; init; }

    /// <summary><c>istio-system/istio-multicluster-ingressgateway</c> DestinationRule of the overlay.</summary>
    public JsonObject? OverlayDestinationRule { get; init; }

    /// <summary>The probe pod MeshPortal curls from, when one was found.</summary>
    public JsonObject? ProbePod { get; init; }

    /// <summary>The API server serves <c>multicluster.x-k8s.io</c> ServiceExports.</summary>
    public bool McsCrds { get; init; }

    public string? KubernetesVersion { get; init; }
}
