using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;
using static MeshPortal.Simulator.Seed.SeedObjects;

namespace MeshPortal.Simulator.Seed;

/// <summary>
/// Istio in istio-system as <c>istioctl install</c> of the cluster's version renders it (<see cref="InstallPlan"/>; charts under
/// <c>manifests/charts/**</c> at that tag): the reader and istiod service accounts, the <c>istio</c> mesh ConfigMap, istiod
/// (Deployment with its env, Service), <c>istio-ingressgateway</c> (ports and router mode of the version), optionally
/// <c>istio-eastwestgateway</c> (<c>gen-eastwest-gateway.sh</c>), and with the multicluster-gateways overlay istiocoredns (before 1.9)
/// and the built-in <c>*.global</c> Gateway/EnvoyFilter/DestinationRule (before 1.9.2). Pods come from the Deployments through the
/// cluster's Deployment controller; istiod creates <c>istio-ca-secret</c> itself when it starts without <c>cacerts</c>.
/// </summary>
internal static class IstioSeed
{
    private const string Manager = "istioctl";
    private const string Ns = InstallPlan.SystemNamespace;

    public static void Seed(SimulatedCluster cluster, InstallPlan plan, Func<JsonObject, string, JsonObject> put)
    {
        put(ServiceAccount(Ns, "istio-reader-service-account", Labels(("app", "istio-reader"), ("release", "istio-base"))), Manager);
        put(ServiceAccount(Ns, plan.IstiodServiceAccount, Labels(("app", "istiod"), ("release", "istio"))), Manager);
        put(MeshConfig(plan), Manager);
        if (plan.CacertsAtInstall && cluster.InstallCacerts is { } cacerts)
        {
            put(cacerts, "kubectl-create");
        }

        Istiod(cluster, plan, put);
        var ingressLabels = Labels(("app", "istio-ingressgateway"), ("istio", "ingressgateway"));
        var ports = new List<JsonObject> { Port("status-port", 15021, 15021), Port("http2", 80, 8080), Port("https", 443, 8443) };
        if (plan.Version >= new SimVersion(1, 8) && plan.Version < new SimVersion(1, 10))
        {
            ports.Add(Port("tcp-istiod", 15012, 15012));
        }

        if (plan.IngressPassthroughPort)
        {
            ports.Add(Port("tls", Mesh.Discovery.GatewayPorts.Passthrough, Mesh.Discovery.GatewayPorts.Passthrough));
        }

        var ingressEnv = plan.IngressRouterMode is { } mode ? new[] { Env("ISTIO_META_ROUTER_MODE", mode) } : [];
        Gateway(cluster, plan, put, "istio-ingressgateway", ingressLabels, ports, ingressEnv, cluster.GatewayLoadBalancerIp, 31000 + cluster.Index % 100 * 10);
        if (plan.EastWestGateway)
        {
            var network = plan.EastWestNetwork;
            var labels = Labels(("istio", "eastwestgateway"), ("app", "istio-eastwestgateway"));
            var env = new List<JsonObject>();
            if (plan.Version < new SimVersion(1, 12))
            {
                env.Add(Env("ISTIO_META_ROUTER_MODE", "sni-dnat"));
            }

            if (network is not null)
            {
                labels["topology.istio.io/network"] = network;
                env.Add(Env("ISTIO_META_REQUESTED_NETWORK_VIEW", network));
            }

            Gateway(cluster, plan, put, "istio-eastwestgateway", labels,
                [Port("status-port", 15021, 15021), Port("tls", Mesh.Discovery.GatewayPorts.Passthrough, Mesh.Discovery.GatewayPorts.Passthrough), Port("tls-istiod", 15012, 15012), Port("tls-webhook", 15017, 15017)],
                [.. env], cluster.EastWestLoadBalancerIp, 32000 + cluster.Index % 70 * 10);
        }

        if (plan.IstioCoreDns)
        {
            var labels = Labels(("app", "istiocoredns"));
            var coredns = Deployment(Ns, "istiocoredns", labels, "istiocoredns-service-account",
                Container("coredns", "coredns/coredns:1.6.2", ContainerPort(53, "dns")),
                Container("istio-coredns-plugin", "istio/coredns-plugin:0.2-istio-1.1", ContainerPort(8053)));
            put(ServiceAccount(Ns, "istiocoredns-service-account"), Manager);
            put(Service(Ns, "istiocoredns", labels.DeepClone().AsObject(), labels.DeepClone().AsObject(), "ClusterIP",
                Port("dns", 53, 53, "UDP"), Port("dns-tcp", 53, 53)), Manager);
            put(coredns, Manager);
        }

        if (plan.BuiltInGlobal)
        {
            foreach (var obj in BuiltInGlobalPassthrough(plan, ingressLabels))
            {
                put(obj, Manager);
            }
        }
    }

    private static void Istiod(SimulatedCluster cluster, InstallPlan plan, Func<JsonObject, string, JsonObject> put)
    {
        var labels = Labels(("app", "istiod"), ("istio", "pilot"), ("istio.io/rev", plan.RevisionLabel), ("release", "istio"));
        var env = new JsonArray(Env("REVISION", plan.RevisionLabel));
        if (plan.Version < new SimVersion(1, 22))
        {
            env.Add(Env("JWT_POLICY", "third-party-jwt"));
        }

        env.Add(Env("PILOT_CERT_PROVIDER", "istiod"));
        env.Add(EnvField("POD_NAME", "metadata.name"));
        env.Add(EnvField("POD_NAMESPACE", "metadata.namespace"));
        env.Add(EnvField("SERVICE_ACCOUNT", "spec.serviceAccountName"));
        foreach (var (name, value) in plan.PilotEnv)
        {
            env.Add(Env(name, value));
        }

        if (plan.Version < new SimVersion(1, 8))
        {
            env.Add(Env("INJECTION_WEBHOOK_CONFIG_NAME", plan.Revision is null ? "istio-sidecar-injector" : $"istio-sidecar-injector-{plan.Revision}"));
            env.Add(Env("ISTIOD_ADDR", $"{plan.IstiodName}.{Ns}.svc:15012"));
        }

        env.Add(Env("PILOT_ENABLE_ANALYSIS", "false"));
        env.Add(Env("CLUSTER_ID", plan.ClusterId));
        var discovery = Container("discovery", $"docker.io/istio/pilot:{plan.Tag}",
            ContainerPort(8080, "http-debug"), ContainerPort(15010, "grpc-xds"), ContainerPort(15012, "tls-xds"), ContainerPort(15017, "https-webhooks"),
            ContainerPort(15014, "http-monitoring"));
        discovery["args"] = new JsonArray("discovery", "--monitoringAddr=:15014", "--log_output_level=default:info", "--domain", "cluster.local",
            "--keepaliveMaxServerConnectionAge", "30m");
        discovery["env"] = env;
        discovery["volumeMounts"] = new JsonArray(
            new JsonObject { ["name"] = "local-certs", ["mountPath"] = "/var/run/secrets/istio-dns" },
            new JsonObject { ["name"] = "cacerts", ["mountPath"] = "/etc/cacerts", ["readOnly"] = true });
        var istiod = Deployment(Ns, plan.IstiodName, labels, plan.IstiodServiceAccount, discovery);
        var template = istiod["spec"]!["template"]!.AsObject();
        template["metadata"]!["annotations"] = Labels(("sidecar.istio.io/inject", "false"), ("prometheus.io/port", "15014"), ("prometheus.io/scrape", "true"));
        template["spec"]!["volumes"] = new JsonArray(
            new JsonObject { ["name"] = "local-certs", ["emptyDir"] = new JsonObject { ["medium"] = "Memory" } },
            new JsonObject { ["name"] = "cacerts", ["secret"] = new JsonObject { ["secretName"] = "cacerts", ["optional"] = true } });
        var serviceLabels = Labels(("app", "istiod"), ("istio", "pilot"), ("istio.io/rev", plan.RevisionLabel), ("release", "istio"));
        var selector = Labels(("app", "istiod"), ("istio.io/rev", plan.RevisionLabel));
        put(Service(Ns, plan.IstiodName, serviceLabels, selector, "ClusterIP",
            Port("grpc-xds", 15010, 15010), Port("https-dns", 15012, 15012), Port("https-webhook", 443, 15017), Port("http-monitoring", 15014, 15014)), Manager);
        put(istiod, Manager);
    }

    /// <summary>A gateway Deployment and Service as the <c>gateways/istio-ingress</c> chart renders them (proxyv2, <c>proxy router</c>).</summary>
    private static void Gateway(SimulatedCluster cluster, InstallPlan plan, Func<JsonObject, string, JsonObject> put, string name, JsonObject labels,
        IReadOnlyList<JsonObject> ports, IReadOnlyList<JsonObject> gatewayEnv, string? loadBalancerIp, int firstNodePort)
    {
        var sa = $"{name}-service-account";
        var proxy = Container("istio-proxy", $"docker.io/istio/proxyv2:{plan.Tag}",
            [.. ports.Select(p => ContainerPort((int)p["targetPort"]!)), ContainerPort(15090, "http-envoy-prom")]);
        proxy["args"] = new JsonArray("proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning",
            "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info");
        var env = new JsonArray(EnvField("POD_NAME", "metadata.name"), EnvField("POD_NAMESPACE", "metadata.namespace"),
            Env("ISTIO_META_WORKLOAD_NAME", name), Env("ISTIO_META_OWNER", $"kubernetes://apis/apps/v1/namespaces/{Ns}/deployments/{name}"),
            Env("ISTIO_META_MESH_ID", plan.MeshId ?? "cluster.local"));
        foreach (var e in gatewayEnv.OrderBy(e => (string)e["name"]!, StringComparer.Ordinal))
        {
            env.Add(e.DeepClone());
        }

        if (plan.Version >= new SimVersion(1, 8))
        {
            foreach (var (key, value) in plan.ProxyMetadata)
            {
                env.Add(Env(key, value));
            }
        }

        if (plan.GlobalNetwork is { } network)
        {
            env.Add(Env("ISTIO_META_NETWORK", network));
        }

        env.Add(Env("ISTIO_META_CLUSTER_ID", plan.ClusterId));
        proxy["env"] = env;
        var deploymentLabels = labels.DeepClone().AsObject();
        deploymentLabels["istio.io/rev"] = plan.RevisionLabel;
        deploymentLabels["release"] = "istio";
        var deployment = Deployment(Ns, name, labels, sa, proxy);
        deployment["metadata"]!["labels"] = deploymentLabels;
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        podLabels["service.istio.io/canonical-name"] = name;
        podLabels["istio.io/rev"] = plan.RevisionLabel;
        podLabels["sidecar.istio.io/inject"] = "false";
        deployment["spec"]!["template"]!["metadata"]!["annotations"] = Labels(("sidecar.istio.io/inject", "false"));
        put(ServiceAccount(Ns, sa, Labels(("app", name), ("istio", (string)labels["istio"]!))), Manager);

        var serviceLabels = labels.DeepClone().AsObject();
        serviceLabels["istio.io/rev"] = plan.RevisionLabel;
        serviceLabels["release"] = "istio";
        var service = Service(Ns, name, serviceLabels, labels.DeepClone().AsObject(), loadBalancerIp is not null ? "LoadBalancer" : "NodePort",
            [.. ports.Select(p => p.DeepClone().AsObject())]);
        var nodePort = firstNodePort;
        foreach (var port in service["spec"]!["ports"]!.AsArray().OfType<JsonObject>())
        {
            port["nodePort"] = nodePort++;
        }

        var ingress = loadBalancerIp is not null ? new JsonArray(new JsonObject { ["ip"] = loadBalancerIp }) : null;
        service["status"] = new JsonObject { ["loadBalancer"] = ingress is null ? new JsonObject() : new JsonObject { ["ingress"] = ingress } };
        put(service, Manager);
        put(deployment, Manager);
    }

    /// <summary>
    /// The <c>istio</c> ConfigMap: <c>mesh</c> is the chart's mesh config merged with <c>meshConfig</c> values and written by Helm's
    /// <c>toYaml</c> (keys sorted); <c>meshNetworks</c> is <c>networks: {}</c> unless values set it.
    /// </summary>
    private static JsonObject MeshConfig(InstallPlan plan)
    {
        var mesh = new StringBuilder();
        if (plan.Version < new SimVersion(1, 8))
        {
            mesh.Append("accessLogEncoding: TEXT\naccessLogFile: \"\"\naccessLogFormat: \"\"\n");
        }

        mesh.Append("defaultConfig:\n");
        mesh.Append($"  discoveryAddress: {plan.IstiodName}.{Ns}.svc:15012\n");
        if (plan.MeshId is { } meshId)
        {
            mesh.Append($"  meshId: {meshId}\n");
        }

        if (plan.ProxyMetadata.Count > 0)
        {
            mesh.Append("  proxyMetadata:\n");
            foreach (var (key, value) in plan.ProxyMetadata)
            {
                mesh.Append($"    {key}: \"{value}\"\n");
            }
        }

        mesh.Append($"  tracing:\n    zipkin:\n      address: zipkin.{Ns}:9411\n");
        mesh.Append("enableAutoMtls: true\nenablePrometheusMerge: true\n");
        mesh.Append($"rootNamespace: {Ns}\n");
        mesh.Append("trustDomain: cluster.local\n");
        var labels = Labels(("istio.io/rev", plan.RevisionLabel), ("release", "istio"));
        if (plan.Version >= new SimVersion(1, 8))
        {
            labels["install.operator.istio.io/owning-resource"] = "unknown";
            labels["operator.istio.io/component"] = "Pilot";
        }

        return ConfigMap(Ns, plan.MeshConfigMapName, new JsonObject { ["meshNetworks"] = "networks: {}", ["mesh"] = mesh.ToString().TrimEnd('\n') }, labels);
    }

    /// <summary>
    /// <c>gateways/istio-ingress/templates/preconfigured.yaml</c> with <c>multiCluster.enabled</c>: the <c>*.global</c> AUTO_PASSTHROUGH
    /// Gateway, the SNI-rewrite EnvoyFilter (a <c>config</c> Struct in 1.6/1.7, <c>typed_config</c> from 1.8) and the ISTIO_MUTUAL
    /// DestinationRule, each named <c>istio-multicluster-ingressgateway</c>.
    /// </summary>
    private static IEnumerable<JsonObject> BuiltInGlobalPassthrough(InstallPlan plan, JsonObject gatewayLabels)
    {
        JsonObject Meta()
        {
            var labels = gatewayLabels.DeepClone().AsObject();
            labels["release"] = "istio";
            if (plan.Version >= new SimVersion(1, 8))
            {
                labels["istio.io/rev"] = plan.RevisionLabel;
            }

            return new JsonObject { ["name"] = "istio-multicluster-ingressgateway", ["namespace"] = Ns, ["labels"] = labels };
        }

        var gateway = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"Gateway",
             "spec":{"selector":{"istio":"ingressgateway"},"servers":[{"hosts":["*.global"],"port":{"name":"tls","number":15443,"protocol":"TLS"},"tls":{"mode":"AUTO_PASSTHROUGH"}}]}}
            """)!.AsObject();
        gateway["metadata"] = Meta();
        yield return gateway;

        var rewrite = IstioReleases.BuiltInEnvoyFilterTyped(plan.Version)
            ? """{"name":"envoy.filters.network.tcp_cluster_rewrite","typed_config":{"@type":"type.googleapis.com/istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite","cluster_pattern":"\\.global$","cluster_replacement":".svc.cluster.local"}}"""
            : """{"name":"envoy.filters.network.tcp_cluster_rewrite","config":{"cluster_pattern":"\\.global$","cluster_replacement":".svc.cluster.local"}}""";
        var filter = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"EnvoyFilter",
             "spec":{"workloadSelector":{"labels":{"istio":"ingressgateway"}},"configPatches":[{"applyTo":"NETWORK_FILTER",
               "match":{"context":"GATEWAY","listener":{"portNumber":15443,"filterChain":{"filter":{"name":"envoy.filters.network.sni_cluster"}}}},
               "patch":{"operation":"INSERT_AFTER"}}]}}
            """)!.AsObject();
        filter["metadata"] = Meta();
        filter["spec"]!["configPatches"]![0]!["patch"]!["value"] = JsonNode.Parse(rewrite);
        yield return filter;

        var dr = JsonNode.Parse("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"DestinationRule",
             "spec":{"host":"*.global","trafficPolicy":{"tls":{"mode":"ISTIO_MUTUAL"}}}}
            """)!.AsObject();
        dr["metadata"] = Meta();
        yield return dr;
    }
}
