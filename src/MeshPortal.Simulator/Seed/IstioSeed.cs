using System.Text.Json.Nodes;
using static MeshPortal.Simulator.Seed.SeedObjects;

namespace MeshPortal.Simulator.Seed;

/// <summary>
/// Istio in istio-system, as the 1.6 multicluster-gateways profile installs it: <c>istiod</c> (image
/// <c>docker.io/istio/pilot:&lt;version&gt;</c>), the <c>istio</c> ConfigMap, <c>istio-ingressgateway</c> (LoadBalancer
/// 203.0.113.n, or NodePort only on node 198.51.100.n), <c>istiocoredns</c> for Istio &lt; 1.8, and for Istio &lt; 1.10 the
/// built-in <c>*.global</c> Gateway/EnvoyFilter/DestinationRule on 15443.
/// <para>DNS-proxying marker (Istio ≥ 1.8): the <c>istio</c> ConfigMap's mesh config has
/// <c>defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: "true"</c> (reference §5.5).</para>
/// </summary>
internal static class IstioSeed
{
    private const string Manager = "istioctl";
    private const string Ns = "istio-system";

    public static void Seed(SimulatedCluster cluster, Func<JsonObject, string, JsonObject> put)
    {
        var version = SimVersion.Parse(cluster.IstioVersion);
        var tag = cluster.IstioVersion;
        put(ServiceAccount(Ns, "istiod-service-account"), Manager);
        put(MeshConfig(version >= new SimVersion(1, 8)), Manager);

        var istiodLabels = Labels(("app", "istiod"), ("istio", "pilot"));
        var discovery = Container("discovery", $"docker.io/istio/pilot:{tag}", ContainerPort(8080), ContainerPort(15010), ContainerPort(15017));
        var istiod = Deployment(Ns, "istiod", istiodLabels, "istiod-service-account", discovery);
        put(istiod, Manager);
        put(PodOf(istiod, cluster.Name), "kube-controller-manager");
        put(Service(Ns, "istiod", istiodLabels.DeepClone().AsObject(), istiodLabels.DeepClone().AsObject(), "ClusterIP",
            Port("grpc-xds", 15010, 15010), Port("https-dns", 15012, 15012), Port("https-webhook", 443, 15017), Port("http-monitoring", 15014, 15014)), Manager);

        IngressGateway(cluster, put, tag, version);
        if (version < new SimVersion(1, 8))
        {
            var labels = Labels(("app", "istiocoredns"));
            var coredns = Deployment(Ns, "istiocoredns", labels, "istiocoredns-service-account",
                Container("coredns", "coredns/coredns:1.6.2", ContainerPort(53, "dns")),
                Container("istio-coredns-plugin", $"istio/coredns-plugin:0.2-istio-1.1", ContainerPort(8053)));
            put(ServiceAccount(Ns, "istiocoredns-service-account"), Manager);
            put(coredns, Manager);
            put(PodOf(coredns, cluster.Name), "kube-controller-manager");
            put(Service(Ns, "istiocoredns", labels.DeepClone().AsObject(), labels.DeepClone().AsObject(), "ClusterIP",
                Port("dns", 53, 53, "UDP"), Port("dns-tcp", 53, 53)), Manager);
        }

        if (version < new SimVersion(1, 10))
        {
            foreach (var obj in BuiltInGlobalPassthrough())
            {
                put(obj, Manager);
            }
        }
    }

    private static void IngressGateway(SimulatedCluster cluster, Func<JsonObject, string, JsonObject> put, string tag, SimVersion version)
    {
        var labels = Labels(("app", "istio-ingressgateway"), ("istio", "ingressgateway"));
        var proxy = Container("istio-proxy", $"docker.io/istio/proxyv2:{tag}",
            ContainerPort(15021), ContainerPort(8080), ContainerPort(8443), ContainerPort(15443), ContainerPort(15090, "http-envoy-prom"));
        proxy["env"] = new JsonArray(new JsonObject
        {
            ["name"] = "ISTIO_META_ROUTER_MODE", ["value"] = version < new SimVersion(1, 8) ? "sni-dnat" : "standard",
        });
        var deployment = Deployment(Ns, "istio-ingressgateway", labels, "istio-ingressgateway-service-account", proxy);
        put(ServiceAccount(Ns, "istio-ingressgateway-service-account"), Manager);
        put(deployment, Manager);
        put(PodOf(deployment, cluster.Name), "kube-controller-manager");

        var hasLb = cluster.GatewayLoadBalancerIp is not null;
        var service = Service(Ns, "istio-ingressgateway", labels.DeepClone().AsObject(), labels.DeepClone().AsObject(), hasLb ? "LoadBalancer" : "NodePort",
            Port("status-port", 15021, 15021), Port("http2", 80, 8080), Port("https", 443, 8443), Port("tls", 15443, 15443));
        var nodePort = 31000 + (cluster.Index % 100) * 10;
        foreach (var port in service["spec"]!["ports"]!.AsArray().OfType<JsonObject>())
        {
            port["nodePort"] = nodePort++;
        }

        var ingress = hasLb ? new JsonArray(new JsonObject { ["ip"] = cluster.GatewayLoadBalancerIp }) : null;
        service["status"] = new JsonObject { ["loadBalancer"] = ingress is null ? new JsonObject() : new JsonObject { ["ingress"] = ingress } };
        put(service, Manager);
    }

    private static JsonObject MeshConfig(bool dnsCapture)
    {
        var proxyMetadata = dnsCapture ? "  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n" : "";
        var mesh = "accessLogFile: /dev/stdout\n" +
                   "defaultConfig:\n" +
                   "  discoveryAddress: istiod.istio-system.svc:15012\n" +
                   proxyMetadata +
                   "  proxyStatsMatcher: {}\n" +
                   "enableAutoMtls: true\n" +
                   "rootNamespace: istio-system\n" +
                   "trustDomain: cluster.local\n";
        return ConfigMap(Ns, "istio", new JsonObject { ["mesh"] = mesh, ["meshNetworks"] = "networks: {}" },
            Labels(("app", "istio"), ("istio.io/rev", "default")));
    }

    private static IEnumerable<JsonObject> BuiltInGlobalPassthrough()
    {
        const string name = "istio-multicluster-ingressgateway";
        yield return (JsonObject)JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"Gateway","metadata":{"name":"istio-multicluster-ingressgateway","namespace":"istio-system"},
             "spec":{"selector":{"istio":"ingressgateway"},"servers":[{"hosts":["*.global"],"port":{"name":"tls","number":15443,"protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"}}]}}
            """)!;
        yield return (JsonObject)JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"EnvoyFilter","metadata":{"name":"istio-multicluster-ingressgateway","namespace":"istio-system"},
             "spec":{"workloadSelector":{"labels":{"istio":"ingressgateway"}},"configPatches":[{"applyTo":"NETWORK_FILTER",
               "match":{"context":"GATEWAY","listener":{"portNumber":15443,"filterChain":{"filter":{"name":"envoy.filters.network.sni_cluster"}}}},
               "patch":{"operation":"INSERT_AFTER","value":{"name":"envoy.filters.network.tcp_cluster_rewrite",
                 "config":{"cluster_pattern":"\\.global$","cluster_replacement":".svc.cluster.local"}}}}]}}
            """)!;
        var dr = (JsonObject)JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"DestinationRule","metadata":{"namespace":"istio-system"},
             "spec":{"host":"*.global","trafficPolicy":{"tls":{"mode":"ISTIO_MUTUAL"}}}}
            """)!;
        dr["metadata"]!["name"] = name;
        yield return dr;
    }
}
