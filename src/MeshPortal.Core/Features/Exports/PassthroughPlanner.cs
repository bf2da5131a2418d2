using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// The <c>*.global</c> objects a cluster needs for the <c>.global</c> model when its install does not bring them (Source
/// "passthrough"), exactly as <see cref="GlobalModelRules"/> decides from what the cluster shows: on an exporting
/// cluster without the multicluster overlay's Gateway and EnvoyFilter (removed in 1.9.2), the Gateway on 15443 with
/// AUTO_PASSTHROUGH for <c>*.global</c> and the EnvoyFilter rewriting the <c>.global</c> SNI to <c>.svc.cluster.local</c>; on a
/// consuming cluster without the overlay's DestinationRule, the one that makes sidecars use Istio mTLS for <c>*.global</c>.
/// Nothing is written where the model cannot carry traffic (1.19 and later, or after the CVE-2021-31921 fix without the legacy
/// flag), so objects an earlier MeshPortal wrote there are pruned.
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
        var roles = snapshot.Roles(cluster);
        if ((!exports && !consumes) || roles is null)
        {
            return PlanContribution.None;
        }

        var objects = new List<DesiredObject>();
        var notes = new List<string>();
        if (exports && roles.Writes.PassthroughGateway)
        {
            objects.Add(Gateway(cluster.IstioVersion));
            objects.Add(EnvoyFilter());
        }

        if (exports && roles.Export.Insecure)
        {
            notes.Add($"{cluster.Name}: {roles.Export.Reason}");
        }

        if (consumes && roles.Writes.MtlsDestinationRule)
        {
            objects.Add(DestinationRule(cluster.IstioVersion));
        }

        return new PlanContribution(objects, notes);
    }

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
