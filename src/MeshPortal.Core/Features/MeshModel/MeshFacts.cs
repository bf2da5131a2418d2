namespace MeshPortal.Core.Features.MeshModel;

/// <summary>
/// What one cluster's Istio installation shows, as the connection check's "mesh model" stage reads it from real objects
/// (istiod's Deployment, the <c>istio</c> mesh ConfigMap, the gateways, the <c>istio-system</c> namespace). Pure data: the
/// decisions live in <see cref="GlobalModelRules"/> and the multi-primary rules.
/// </summary>
public sealed record MeshFacts
{
    /// <summary>istiod's image tag.</summary>
    public string? IstioVersion { get; init; }

    /// <summary>The API server's <c>gitVersion</c>.</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>istiod's <c>CLUSTER_ID</c> (Helm <c>global.multiCluster.clusterName</c>; the chart's default is "Kubernetes").</summary>
    public string? IstioClusterId { get; init; }

    /// <summary>Mesh config <c>defaultConfig.meshId</c> (Helm <c>global.meshID</c>); null when the install left it out.</summary>
    public string? MeshId { get; init; }

    /// <summary>The <c>topology.istio.io/network</c> label of <c>istio-system</c>.</summary>
    public string? Network { get; init; }

    /// <summary>istiod's revision (<c>REVISION</c> env or <c>istio.io/rev</c> label); "default" for a default install.</summary>
    public string? Revision { get; init; }

    /// <summary>Mesh config <c>trustDomain</c>.</summary>
    public string? TrustDomain { get; init; }

    /// <summary>The built-in <c>*.global</c> objects of the multicluster-gateways overlay (all named <c>istio-multicluster-ingressgateway</c>).</summary>
    public bool OverlayGateway { get; init; }

    public bool OverlayEnvoyFilter { get; init; }

    public bool OverlayDestinationRule { get; init; }

    /// <summary><c>ISTIO_META_ROUTER_MODE</c> of <c>istio-ingressgateway</c>; null when unset (Envoy's default is <c>sni-dnat</c> before 1.8).</summary>
    public string? IngressRouterMode { get; init; }

    /// <summary>The <c>istio-ingressgateway</c> Service exposes 15443.</summary>
    public bool IngressHasPort15443 { get; init; }

    /// <summary>istiod's <c>PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH</c> is "true".</summary>
    public bool LegacyAutoPassthrough { get; init; }

    /// <summary>Mesh-wide DNS capture: mesh config <c>defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: "true"</c>.</summary>
    public bool DnsCapture { get; init; }

    /// <summary>The probe pod turns DNS capture on for itself (<c>proxy.istio.io/config</c> annotation).</summary>
    public bool ProbePodDnsCapture { get; init; }

    /// <summary>The ClusterIP of <c>istio-system/istiocoredns</c> (Istio ≤ 1.8 addon), or null.</summary>
    public string? IstioCoreDnsAddress { get; init; }

    /// <summary>An east-west gateway (<c>istio-eastwestgateway</c> or any Service labelled <c>topology.istio.io/network</c> with 15443), or null.</summary>
    public EastWestGatewayFacts? EastWest { get; init; }

    /// <summary>A Gateway that opens 15443 with AUTO_PASSTHROUGH for <c>*.local</c> on the east-west gateway (<c>cross-network-gateway</c>).</summary>
    public bool CrossNetworkGateway { get; init; }

    /// <summary>istiod's <c>ENABLE_MCS_SERVICE_DISCOVERY</c>: services are cluster-local unless a ServiceExport exists.</summary>
    public bool McsServiceDiscovery { get; init; }

    /// <summary>istiod's <c>ENABLE_MCS_HOST</c>: <c>name.ns.svc.clusterset.local</c> hosts.</summary>
    public bool McsHost { get; init; }

    /// <summary>The MCS CRDs (<c>serviceexports.multicluster.x-k8s.io</c>) are served.</summary>
    public bool McsCrds { get; init; }

    public bool TryGetRelease(out IstioRelease release) => IstioRelease.TryParse(IstioVersion, out release);
}

/// <summary>The east-west gateway as other networks reach it.</summary>
public sealed record EastWestGatewayFacts(string ServiceName, string? Network, string? Address, bool HasTlsPort15443, bool OwnedByMeshPortal);
