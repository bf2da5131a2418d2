using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Mesh.State;

/// <summary>A Service port: its number, where it sends (a number, or a container port name), its protocol and node port.</summary>
internal sealed record ServicePort(string Name, int Port, int? TargetPort, string? TargetPortName, string Protocol, string? AppProtocol, int? NodePort)
{
    /// <summary>Istio's protocol selection for a Service port: appProtocol, else the name's prefix (<c>http</c>, <c>http2</c>, <c>grpc</c>, ...).</summary>
    public bool IsHttp => Protocols.IsHttp(AppProtocol ?? Name.Split('-')[0]);

    /// <summary>The container port a pod listens on for this Service port.</summary>
    public int? TargetFor(PodInfo pod) => TargetPortName is { } named ? pod.ContainerPort(named) : TargetPort ?? Port;
}

/// <summary>A Kubernetes Service as istiod's registry and kube-proxy see it.</summary>
internal sealed record KubeService(
    string Namespace,
    string Name,
    string? ClusterIp,
    string Type,
    IReadOnlyList<ServicePort> Ports,
    IReadOnlyDictionary<string, string> Selector,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<string> ExternalAddresses)
{
    public string Hostname => $"{Name}.{Namespace}.svc.cluster.local";

    public string Key => $"{Namespace}/{Name}";

    public ServicePort? PortNumbered(int port) => Ports.FirstOrDefault(p => p.Port == port);

    public bool Selects(PodInfo pod) =>
        Selector.Count > 0 && pod.Namespace == Namespace && Selector.All(kv => pod.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

/// <summary>A pod as the mesh sees it: address, readiness, its proxy (sidecar or gateway) and that proxy's env.</summary>
internal sealed record PodInfo(
    string Uid,
    string Namespace,
    string Name,
    string? Ip,
    string? HostIp,
    bool Ready,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string ServiceAccount,
    bool HasSidecar,
    bool IsGateway,
    IReadOnlyDictionary<string, string> ProxyEnv,
    IReadOnlyDictionary<string, int> NamedPorts,
    string Hostname)
{
    public bool HasProxy => HasSidecar || IsGateway;

    public string Revision => Labels.GetValueOrDefault("istio.io/rev") ?? "default";

    public int? ContainerPort(string name) => NamedPorts.TryGetValue(name, out var p) ? p : null;

    public static PodInfo From(JsonObject pod)
    {
        var proxy = PodFacts.Proxy(pod);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in proxy.Objects("env"))
        {
            if (e.Str("name") is { } n && e.Str("value") is { } v)
            {
                env[n] = v;
            }
        }

        var named = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var port in pod.Objects("spec", "containers").SelectMany(c => c.Objects("ports")))
        {
            if (port.Str("name") is { } n && port.Num("containerPort") is { } number)
            {
                named.TryAdd(n, (int)number);
            }
        }

        return new PodInfo(pod.Str("metadata", "uid") ?? "", pod.Namespace(), pod.Name(), PodFacts.PodIp(pod), pod.Str("status", "hostIP"),
            PodFacts.IsReady(pod), pod.Map("metadata", "labels"), pod.Map("metadata", "annotations"), PodFacts.ServiceAccount(pod),
            PodFacts.HasSidecar(pod), PodFacts.IsGateway(pod), env, named, PodFacts.Hostname(pod));
    }
}

/// <summary>
/// One cluster's objects at one resourceVersion, as the mesh rules read them: typed pods, Services and namespaces, the Istio and MCS
/// config, the remote secrets and the ConfigMaps DNS and istiod read. Immutable; built under the store gate and cached by version.
/// </summary>
internal sealed class ClusterSnapshot
{
    private ClusterSnapshot(SimulatedCluster cluster, long version)
    {
        Cluster = cluster;
        ResourceVersion = version;
    }

    public SimulatedCluster Cluster { get; }

    public long ResourceVersion { get; }

    public IReadOnlyList<PodInfo> Pods { get; private init; } = [];

    public IReadOnlyDictionary<string, PodInfo> PodsByIp { get; private init; } = new Dictionary<string, PodInfo>();

    public IReadOnlyList<KubeService> Services { get; private init; } = [];

    public IReadOnlyDictionary<string, KubeService> ServicesByKey { get; private init; } = new Dictionary<string, KubeService>();

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels { get; private init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>"ns/name" of every MCS ServiceExport.</summary>
    public IReadOnlySet<string> ServiceExports { get; private init; } = new HashSet<string>();

    public IReadOnlyList<JsonObject> ServiceEntries { get; private init; } = [];

    public IReadOnlyList<JsonObject> Gateways { get; private init; } = [];

    public IReadOnlyList<JsonObject> DestinationRules { get; private init; } = [];

    public IReadOnlyList<JsonObject> EnvoyFilters { get; private init; } = [];

    public IReadOnlyList<JsonObject> Sidecars { get; private init; } = [];

    public IReadOnlyList<JsonObject> AuthorizationPolicies { get; private init; } = [];

    /// <summary>Secrets in istio-system labelled <c>istio/multiCluster: "true"</c>.</summary>
    public IReadOnlyList<JsonObject> RemoteSecrets { get; private init; } = [];

    /// <summary>ConfigMaps of istio-system and kube-system by "ns/name".</summary>
    public IReadOnlyDictionary<string, JsonObject> ConfigMaps { get; private init; } = new Dictionary<string, JsonObject>();

    /// <summary>"ns/name" of Deployments in kube-system (which cluster DNS runs).</summary>
    public IReadOnlySet<string> SystemDeployments { get; private init; } = new HashSet<string>();

    /// <summary>Addresses of the cluster's nodes (every node answers on every NodePort).</summary>
    public IReadOnlySet<string> NodeIps { get; private init; } = new HashSet<string>();

    public KubeService? Service(string ns, string name) => ServicesByKey.GetValueOrDefault($"{ns}/{name}");

    public IEnumerable<PodInfo> Endpoints(KubeService service) => Pods.Where(service.Selects);

    public string? MeshConfig(string revision) => ConfigMaps.GetValueOrDefault($"istio-system/{(revision == "default" ? "istio" : $"istio-{revision}")}").Str("data", "mesh");

    public string? MeshNetworks(string revision) => ConfigMaps.GetValueOrDefault($"istio-system/{(revision == "default" ? "istio" : $"istio-{revision}")}").Str("data", "meshNetworks");

    /// <summary>Builds the snapshot from the store. The caller holds the store gate.</summary>
    public static ClusterSnapshot Build(SimulatedCluster cluster)
    {
        var store = cluster.Store;
        var catalog = cluster.Catalog;
        IEnumerable<JsonObject> All(string group, string plural, string? ns = null) =>
            catalog.FindByPlural(group, plural) is { } type ? store.Scan(type, ns).Select(kv => kv.Value) : [];
        List<JsonObject> Copies(string group, string plural) => [.. All(group, plural).Select(o => o.DeepClone().AsObject())];

        var pods = All("", "pods").Select(PodInfo.From).ToList();
        var services = All("", "services").Select(ToService).ToList();
        var nodes = new HashSet<string>(StringComparer.Ordinal) { cluster.NodeIp };
        foreach (var pod in pods.Where(p => p.HostIp is not null))
        {
            nodes.Add(pod.HostIp!);
        }

        return new ClusterSnapshot(cluster, store.ResourceVersion)
        {
            Pods = pods,
            PodsByIp = pods.Where(p => p.Ip is not null).GroupBy(p => p.Ip!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
            Services = services,
            ServicesByKey = services.ToDictionary(s => s.Key, StringComparer.Ordinal),
            NamespaceLabels = All("", "namespaces").ToDictionary(n => n.Name(), n => n.Map("metadata", "labels"), StringComparer.Ordinal),
            ServiceExports = All(ResourceType.McsGroup, "serviceexports").Select(e => $"{e.Namespace()}/{e.Name()}").ToHashSet(StringComparer.Ordinal),
            ServiceEntries = Copies(ResourceType.IstioGroup, "serviceentries"),
            Gateways = Copies(ResourceType.IstioGroup, "gateways"),
            DestinationRules = Copies(ResourceType.IstioGroup, "destinationrules"),
            EnvoyFilters = Copies(ResourceType.IstioGroup, "envoyfilters"),
            Sidecars = Copies(ResourceType.IstioGroup, "sidecars"),
            AuthorizationPolicies = Copies(ResourceType.SecurityGroup, "authorizationpolicies"),
            RemoteSecrets = [.. All("", "secrets", "istio-system").Where(s => s.Str("metadata", "labels", "istio/multiCluster") == "true").Select(s => s.DeepClone().AsObject())],
            ConfigMaps = All("", "configmaps", "istio-system").Concat(All("", "configmaps", "kube-system"))
                .ToDictionary(c => $"{c.Namespace()}/{c.Name()}", c => c.DeepClone().AsObject(), StringComparer.Ordinal),
            SystemDeployments = All("apps", "deployments", "kube-system").Select(d => $"kube-system/{d.Name()}").ToHashSet(StringComparer.Ordinal),
            NodeIps = nodes,
        };
    }

    private static KubeService ToService(JsonObject s)
    {
        var ports = s.Objects("spec", "ports").Select(p =>
        {
            var target = p.At("targetPort");
            var targetNumber = target is JsonValue v && v.TryGetValue<int>(out var n) ? n : (int?)null;
            var targetName = targetNumber is null && target.Str() is { } name && !int.TryParse(name, out _) ? name : null;
            if (targetNumber is null && targetName is null && int.TryParse(target.Str(), out var parsed))
            {
                targetNumber = parsed;
            }

            return new ServicePort(p.Str("name") ?? "", (int)(p.Num("port") ?? 0), targetNumber, targetName, p.Str("protocol") ?? "TCP",
                p.Str("appProtocol"), (int?)p.Num("nodePort"));
        }).ToList();
        var external = s.Objects("status", "loadBalancer", "ingress").SelectMany(i => new[] { i.Str("ip"), i.Str("hostname") })
            .Concat(s.Strings("spec", "externalIPs")).Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToList();
        return new KubeService(s.Namespace(), s.Name(), s.Str("spec", "clusterIP"), s.Str("spec", "type") ?? "ClusterIP", ports,
            s.Map("spec", "selector"), s.Map("metadata", "labels"), s.Map("metadata", "annotations"), external);
    }
}

/// <summary>Istio's protocol names (<c>pkg/config/protocol</c>).</summary>
internal static class Protocols
{
    public static bool IsHttp(string? protocol) =>
        protocol?.ToLowerInvariant() is "http" or "http2" or "http_proxy" or "grpc" or "grpc-web" or "h2c";

    public static bool IsUdp(string? protocol) => string.Equals(protocol, "UDP", StringComparison.OrdinalIgnoreCase);
}
