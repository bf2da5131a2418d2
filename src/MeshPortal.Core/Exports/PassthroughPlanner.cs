using System.Text.Json.Nodes;
using MeshPortal.Core.Clusters;
using MeshPortal.Core.Reconciliation;

namespace MeshPortal.Core.Exports;

/// <summary>
/// Istio 1.10 removed the built-in <c>*.global</c> config of the multicluster gateways profile (reference §3, §5.1). For such
/// clusters MeshPortal writes it back (Source "passthrough"): on an exporting cluster the Gateway on 15443 with
/// AUTO_PASSTHROUGH for <c>*.global</c> and the EnvoyFilter rewriting the <c>.global</c> SNI to <c>.svc.cluster.local</c>; on a
/// consuming cluster the DestinationRule that makes sidecars use Istio mTLS for <c>*.global</c>.
/// </summary>
public sealed class PassthroughPlanner(ExportSnapshot snapshot) : IClusterPlanner
{
    public const string Source = "passthrough";
    public const string IstioNamespace = "istio-system";
    public const string GatewayName = "meshportal-global-passthrough";
    public const string EnvoyFilterName = "meshportal-global-sni-rewrite";
    public const string DestinationRuleName = "meshportal-global-mtls";

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => [];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        var exports = snapshot.ExportedFrom(cluster.Id).Any(e => snapshot.ConsumersOf(e).Count > 0);
        var consumes = snapshot.ConsumedBy(cluster.Id).Count > 0;
        if (!exports && !consumes)
        {
            return PlanContribution.None;
        }

        if (!ClusterFactsReader.TryParseVersion(cluster.IstioVersion, out _))
        {
            return new PlanContribution([], [$"{cluster.Name}: Istio version unknown; the *.global passthrough is not written (run the connection check)."]);
        }

        if (!NeedsPassthrough(cluster.IstioVersion))
        {
            return PlanContribution.None;
        }

        var objects = new List<DesiredObject>();
        if (exports)
        {
            objects.Add(Gateway(cluster.IstioVersion));
            objects.Add(EnvoyFilter());
        }

        if (consumes)
        {
            objects.Add(DestinationRule(cluster.IstioVersion));
        }

        return new PlanContribution(objects, []);
    }

    /// <summary>True from Istio 1.10, which no longer ships the <c>istio-multicluster-ingressgateway</c> template.</summary>
    public static bool NeedsPassthrough(string? istioVersion) => ClusterFactsReader.IsAtLeast(istioVersion, "1.10");

    public static DesiredObject Gateway(string? istioVersion)
    {
        var reference = IstioApi.Gateway(istioVersion, IstioNamespace, GatewayName);
        var body = IstioApi.Manifest(reference, Source, owned: true);
        body["spec"] = JsonNode.Parse("""
            {"selector":{"istio":"ingressgateway"},
             "servers":[{"hosts":["*.global"],"port":{"name":"tls","number":15443,"protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"}}]}
            """);
        return new DesiredObject(reference, body, Source);
    }

    public static DesiredObject EnvoyFilter()
    {
        var reference = IstioApi.EnvoyFilter(IstioNamespace, EnvoyFilterName);
        var body = IstioApi.Manifest(reference, Source, owned: true);
        body["spec"] = JsonNode.Parse("""
            {"workloadSelector":{"labels":{"istio":"ingressgateway"}},
             "configPatches":[{"applyTo":"NETWORK_FILTER",
               "match":{"context":"GATEWAY","listener":{"portNumber":15443,"filterChain":{"filter":{"name":"envoy.filters.network.sni_cluster"}}}},
               "patch":{"operation":"INSERT_AFTER","value":{"name":"envoy.filters.network.tcp_cluster_rewrite",
                 "typed_config":{"@type":"type.googleapis.com/istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite",
                   "cluster_pattern":"\\.global$","cluster_replacement":".svc.cluster.local"}}}}]}
            """);
        return new DesiredObject(reference, body, Source);
    }

    public static DesiredObject DestinationRule(string? istioVersion)
    {
        var reference = IstioApi.DestinationRule(istioVersion, IstioNamespace, DestinationRuleName);
        var body = IstioApi.Manifest(reference, Source, owned: true);
        body["spec"] = JsonNode.Parse("""{"host":"*.global","trafficPolicy":{"tls":{"mode":"ISTIO_MUTUAL"}}}""");
        return new DesiredObject(reference, body, Source);
    }
}
