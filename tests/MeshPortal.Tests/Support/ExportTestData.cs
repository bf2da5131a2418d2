using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Support;

/// <summary>Clusters and exports shaped like the seed: cluster-1 and cluster-2 on Istio 1.6.8 with CoreDNS and istiocoredns.</summary>
internal static class ExportTestData
{
    public static ClusterTarget Cluster(int id, string? istio = "1.6.8", string? gateway = null, int? gatewayPort = 15443,
        bool dnsProxying = false, string? dnsProvider = "coredns", string? coreDns = null, MeshFacts? mesh = null) =>
        new(id, $"cluster-{id}", istio, gateway ?? $"203.0.113.{id}", gatewayPort, coreDns ?? $"10.{id}.0.53", dnsProxying, dnsProvider, null, CacertsDecision.None,
            "v1.18.0", mesh ?? Installed(istio, dnsProxying, coreDns ?? $"10.{id}.0.53"));

    /// <summary>
    /// What the connection check reads from a cluster installed the seed's way for its version: the multicluster-gateways
    /// overlay (its *.global objects until 1.9.2, 15443 on istio-ingressgateway until 1.10, router mode sni-dnat).
    /// </summary>
    public static MeshFacts Installed(string? istio, bool dnsCapture = false, string? coreDns = "10.1.0.53", bool legacyPassthrough = false)
    {
        IstioRelease.TryParse(istio, out var release);
        var overlay = release < IstioRelease.OverlayRemoved;
        return new MeshFacts
        {
            IstioVersion = istio,
            IstioClusterId = "Kubernetes",
            OverlayGateway = overlay,
            OverlayEnvoyFilter = overlay,
            OverlayDestinationRule = overlay,
            IngressRouterMode = "sni-dnat",
            IngressHasPort15443 = release < new IstioRelease(1, 10, 0),
            DnsCapture = dnsCapture,
            IstioCoreDnsAddress = string.IsNullOrEmpty(coreDns) ? null : coreDns,
            LegacyAutoPassthrough = legacyPassthrough,
        };
    }

    public static ExportSpec Httpbin(int id = 1, int from = 2, bool all = false, params int[] consumers) =>
        new(id, from, "bar", "httpbin", "httpbin.bar.global", "240.0.0.2", all, consumers.Length == 0 && !all ? [1] : consumers,
            [new ExportPortSpec("http1", 8000, "HTTP")]);

    public static ExportSnapshot Snapshot(IReadOnlyList<ClusterTarget> clusters, params ExportSpec[] exports) =>
        new(clusters, exports, new ExportPlanSettings());
}
