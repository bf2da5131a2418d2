using System.Text.Json.Nodes;

namespace MeshPortal.Core.Features.MeshModel;

/// <summary>Reads <see cref="MeshFacts"/> from the objects a real install renders (Istio's charts at each tag). Pure.</summary>
public static class MeshFactsReader
{
    public const string OverlayName = "istio-multicluster-ingressgateway";
    public const string NetworkLabel = "topology.istio.io/network";
    public const string EastWestName = "istio-eastwestgateway";
    public const int PassthroughPort = 15443;

    public static MeshFacts Read(MeshObjects o)
    {
        var discovery = Containers(o.Istiod).FirstOrDefault(c => Str(c, "name") == "discovery") ?? Containers(o.Istiod).FirstOrDefault();
        var mesh = MeshConfig(o.MeshConfigMap);
        var ingressProxy = Containers(o.IngressDeployment).FirstOrDefault(c => Str(c, "name") == "istio-proxy") ?? Containers(o.IngressDeployment).FirstOrDefault();
        var coreDns = o.IstioSystemServices.FirstOrDefault(s => Name(s) == "istiocoredns");
        var coreDnsIp = Path(coreDns, "spec", "clusterIP") is { Length: > 0 } ip && ip != "None" ? ip : null;
        return new MeshFacts
        {
            IstioVersion = ImageTag(Str(discovery, "image")),
            KubernetesVersion = o.KubernetesVersion,
            IstioClusterId = Env(discovery, "CLUSTER_ID"),
            MeshId = mesh.Scalar("defaultConfig", "meshId"),
            Network = Path(o.IstioSystemNamespace, "metadata", "labels", NetworkLabel),
            Revision = Env(discovery, "REVISION") ?? Path(o.Istiod, "metadata", "labels", "istio.io/rev"),
            TrustDomain = mesh.Scalar("trustDomain"),
            OverlayGateway = o.IstioSystemGateways.Any(g => Name(g) == OverlayName && OpensPassthrough(g, "*.global")),
            OverlayEnvoyFilter = o.OverlayEnvoyFilter is not null,
            OverlayDestinationRule = o.OverlayDestinationRule is not null,
            IngressRouterMode = Env(ingressProxy, "ISTIO_META_ROUTER_MODE"),
            IngressHasPort15443 = Ports(o.IngressService).Any(p => Num(p, "port") == PassthroughPort),
            LegacyAutoPassthrough = IsTrue(Env(discovery, "PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH")),
            DnsCapture = IsTrue(mesh.Scalar("defaultConfig", "proxyMetadata", "ISTIO_META_DNS_CAPTURE")),
            ProbePodDnsCapture = ProbePodCapture(o.ProbePod),
            IstioCoreDnsAddress = coreDnsIp,
            EastWest = EastWest(o.IstioSystemServices),
            CrossNetworkGateway = o.IstioSystemGateways.Any(g =>
                Path(g, "spec", "selector", "istio") == "eastwestgateway" && OpensPassthrough(g, "*.local")),
            McsServiceDiscovery = IsTrue(Env(discovery, "ENABLE_MCS_SERVICE_DISCOVERY")),
            McsHost = IsTrue(Env(discovery, "ENABLE_MCS_HOST")),
            McsCrds = o.McsCrds,
        };
    }

    /// <summary>
    /// The east-west gateway other networks reach: <c>istio-eastwestgateway</c>, else any Service labelled
    /// <c>topology.istio.io/network</c> that exposes 15443 (istiod finds network gateways by that label).
    /// </summary>
    public static EastWestGatewayFacts? EastWest(IReadOnlyList<JsonObject> services)
    {
        var service = services.FirstOrDefault(s => Name(s) == EastWestName)
            ?? services.FirstOrDefault(s => Path(s, "metadata", "labels", NetworkLabel) is not null && Ports(s).Any(p => Num(p, "port") == PassthroughPort));
        if (service is null)
        {
            return null;
        }

        var ingress = (service["status"]?["loadBalancer"]?["ingress"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        var address = Str(ingress, "ip") ?? Str(ingress, "hostname") ?? (service["spec"]?["externalIPs"] as JsonArray)?.FirstOrDefault()?.GetValue<string>();
        var tls = Ports(service).Any(p => Num(p, "port") == PassthroughPort && Str(p, "name") is { } n && (n == "tls" || n.StartsWith("tls-", StringComparison.Ordinal)));
        var owned = Path(service, "metadata", "labels", "app.kubernetes.io/managed-by") == "meshportal";
        return new EastWestGatewayFacts(Name(service) ?? EastWestName, Path(service, "metadata", "labels", NetworkLabel), address, tls, owned);
    }

    /// <summary>The release in an image tag (<see cref="ClusterFactsReader.VersionFromImage"/>), or null when the tag is no release ("latest", a digest).</summary>
    public static string? ImageTag(string? image) =>
        ClusterFactsReader.VersionFromImage(image) is { } tag && IstioRelease.TryParse(tag, out var release) ? release.ToString() : null;

    private static bool OpensPassthrough(JsonObject gateway, string host) =>
        (gateway["spec"]?["servers"] as JsonArray)?.OfType<JsonObject>().Any(s =>
            Num(s["port"] as JsonObject, "number") == PassthroughPort
            && Path(s, "tls", "mode") == "AUTO_PASSTHROUGH"
            && (s["hosts"] as JsonArray)?.Any(h => h?.GetValue<string>() is { } v && (v == host || v.EndsWith("/" + host, StringComparison.Ordinal))) == true) == true;

    private static bool ProbePodCapture(JsonObject? pod)
    {
        var annotation = Path(pod, "metadata", "annotations", "proxy.istio.io/config");
        return IsTrue(YamlScalars.Read(annotation).Scalar("proxyMetadata", "ISTIO_META_DNS_CAPTURE"));
    }

    private static YamlScalars MeshConfig(JsonObject? configMap) => YamlScalars.Read(Path(configMap, "data", "mesh"));

    private static IEnumerable<JsonObject> Containers(JsonObject? deployment) =>
        (deployment?["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static IEnumerable<JsonObject> Ports(JsonObject? service) => (service?["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static string? Env(JsonObject? container, string name) =>
        (container?["env"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => Str(e, "name") == name) is { } env ? Str(env, "value") : null;

    private static string? Name(JsonObject? obj) => Path(obj, "metadata", "name");

    private static string? Str(JsonObject? obj, string key) => obj?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Num(JsonObject? obj, string key) => obj?[key] is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    private static string? Path(JsonObject? obj, params string[] keys)
    {
        JsonNode? node = obj;
        foreach (var key in keys)
        {
            node = (node as JsonObject)?[key];
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
