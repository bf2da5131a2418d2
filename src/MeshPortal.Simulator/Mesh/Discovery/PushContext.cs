using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Discovery;

/// <summary>A Kubernetes registry istiod reads: its own cluster, or a cluster named by a remote secret.</summary>
internal sealed record Registry(string ClusterId, ClusterSnapshot Snapshot, bool Local);

/// <summary>A network gateway istiod knows (<c>model.NetworkGateway</c>): traffic to endpoints of <see cref="Network"/> goes to it.</summary>
internal sealed record NetworkGateway(string Network, string ClusterId, string Address, int Port);

/// <summary>
/// An endpoint of a service as a proxy's EDS has it: a pod (with its cluster and network) or a ServiceEntry endpoint, or, after
/// the network filter, a network gateway standing in for endpoints of another network.
/// </summary>
internal sealed record MeshEndpoint(string Address, int Port, string Network, string ClusterId, bool TlsModeIstio)
{
    public ClusterSnapshot? Registry { get; init; }

    public PodInfo? Pod { get; init; }

    public NetworkGateway? Gateway { get; init; }
}

/// <summary>A service host as istiod merges it: Kubernetes Services of that name from every registry, or a ServiceEntry host.</summary>
internal sealed class MeshService
{
    public required string Hostname { get; init; }

    public required string Namespace { get; init; }

    public string Name { get; init; } = "";

    /// <summary>The Service in each registry that has it (local first).</summary>
    public IReadOnlyList<(Registry Registry, KubeService Service)> Instances { get; init; } = [];

    public JsonObject? ServiceEntry { get; init; }

    /// <summary>The MCS <c>name.ns.svc.clusterset.local</c> host (ENABLE_MCS_HOST).</summary>
    public bool ClusterSet { get; init; }

    public IReadOnlyList<string> ExportTo { get; init; } = ["*"];

    public bool HasPort(int port) => ServiceEntry is { } se
        ? se.Objects("spec", "ports").Any(p => p.Num("number") == port)
        : Instances.Any(i => i.Service.PortNumbered(port) is not null);

    public bool IsHttpPort(int port) => ServiceEntry is { } se
        ? se.Objects("spec", "ports").Any(p => p.Num("number") == port && Protocols.IsHttp(p.Str("protocol")))
        : Instances.Select(i => i.Service.PortNumbered(port)).FirstOrDefault(p => p is not null)?.IsHttp == true;

    /// <summary>The service's addresses: ServiceEntry addresses, or each registry's ClusterIP (the proxy's own cluster first).</summary>
    public IEnumerable<string> Vips => ServiceEntry is { } se
        ? se.Strings("spec", "addresses")
        : Instances.Select(i => i.Service.ClusterIp).Where(ip => ip is not null && ip != "None").Select(ip => ip!);
}

/// <summary>
/// What one istiod (a cluster and revision) knows and pushes to its proxies: its registries (own cluster and remote-secret clusters),
/// the merged services and their endpoints, network gateways, the cluster's Istio config and mesh settings, and its feature flags.
/// Built from snapshots, so a proxy whose istiod went away keeps the one it had.
/// </summary>
internal sealed class PushContext
{
    public required SimulatedCluster Cluster { get; init; }

    public required ClusterSnapshot Local { get; init; }

    public required string Revision { get; init; }

    public required SimVersion Version { get; init; }

    public required string ClusterId { get; init; }

    public required MeshSettings Mesh { get; init; }

    public required IReadOnlyDictionary<string, string> Env { get; init; }

    public required IReadOnlyList<Registry> Registries { get; init; }

    public required IReadOnlyList<RemoteCluster> Remotes { get; init; }

    public required IReadOnlyList<NetworkGateway> NetworkGateways { get; init; }

    public required IReadOnlyDictionary<string, MeshService> Services { get; init; }

    /// <summary>When this view was taken (the time its istiod was last serving, for a frozen one).</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>Views derived from this one (gateway listeners), computed once per push.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, object?> Cache { get; } = new(StringComparer.Ordinal);

    /// <summary>PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH on an istiod that has the flag: AUTO_PASSTHROUGH uses the old sni_cluster chain.</summary>
    public bool LegacyAutoPassthrough => IstioReleases.HasLegacyPassthroughFlag(Version) && Flag(Env, "PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH");

    public bool McsDiscovery => IstioReleases.HasMcs(Version) && Flag(Env, "ENABLE_MCS_SERVICE_DISCOVERY");

    public bool McsHost => McsHostEnabled(Version, Env);

    /// <summary>Multi-network is on when istiod knows any network gateway (<c>IsMultiNetworkEnabled</c>).</summary>
    public bool MultiNetwork => NetworkGateways.Count > 0;

    public static bool McsHostEnabled(SimVersion version, IReadOnlyDictionary<string, string> env) =>
        IstioReleases.HasMcs(version) && Flag(env, "ENABLE_MCS_SERVICE_DISCOVERY") && Flag(env, "ENABLE_MCS_HOST");

    private static bool Flag(IReadOnlyDictionary<string, string> env, string name) =>
        string.Equals(env.GetValueOrDefault(name), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The service a proxy in <paramref name="ns"/> can see under that host, if any (exportTo; Sidecar scoping is the caller's).</summary>
    public MeshService? Service(string host) => Services.GetValueOrDefault(host.ToLowerInvariant());

    /// <summary>
    /// EDS for one port of a service, before the network filter: ready pods of every registry that may serve it (cluster-local hosts and,
    /// with MCS discovery, services without a ServiceExport stay in their cluster), or the ServiceEntry's endpoints.
    /// </summary>
    public IReadOnlyList<MeshEndpoint> Endpoints(MeshService service, int port)
    {
        if (service.ServiceEntry is { } se)
        {
            return ServiceEntryEndpoints(se, port);
        }

        var result = new List<MeshEndpoint>();
        foreach (var (registry, kube) in service.Instances)
        {
            if (!service.ClusterSet && !registry.Local && (Mesh.IsClusterLocal(service.Hostname)
                || (McsDiscovery && !registry.Snapshot.ServiceExports.Contains(kube.Key))))
            {
                continue;
            }

            if (kube.PortNumbered(port) is not { } servicePort)
            {
                continue;
            }

            foreach (var pod in registry.Snapshot.Endpoints(kube).Where(p => p.Ready && p.Ip is not null))
            {
                if (servicePort.TargetFor(pod) is not { } target)
                {
                    continue;
                }

                result.Add(new MeshEndpoint(pod.Ip!, target, NetworkOf(registry, pod.Labels, pod.Ip), registry.ClusterId,
                    pod.Labels.GetValueOrDefault("security.istio.io/tlsMode") == "istio")
                { Registry = registry.Snapshot, Pod = pod });
            }
        }

        return result;
    }

    /// <summary>
    /// An endpoint's network as istiod's Kubernetes controller decides it (<c>controller.go</c> <c>Network()</c>): the pod's
    /// <c>topology.istio.io/network</c> label, then (from 1.10) that cluster's istio-system namespace label, then meshNetworks.
    /// </summary>
    public string NetworkOf(Registry registry, IReadOnlyDictionary<string, string> labels, string? ip)
    {
        if (labels.GetValueOrDefault("topology.istio.io/network") is { Length: > 0 } label)
        {
            return label;
        }

        if (IstioReleases.ReadsNetworkFromSystemNamespace(Version)
            && registry.Snapshot.NamespaceLabels.GetValueOrDefault("istio-system")?.GetValueOrDefault("topology.istio.io/network") is { Length: > 0 } ns)
        {
            return ns;
        }

        return Mesh.NetworkFor(registry.ClusterId, ip) ?? "";
    }

    private static List<MeshEndpoint> ServiceEntryEndpoints(JsonObject se, int port)
    {
        var sePort = se.Objects("spec", "ports").FirstOrDefault(p => p.Num("number") == port);
        if (sePort is null)
        {
            return [];
        }

        var name = sePort.Str("name") ?? "";
        return [.. se.Objects("spec", "endpoints").Where(e => e.Str("address") is not null).Select(e => new MeshEndpoint(
            e.Str("address")!, (int)(e.Num("ports", name) ?? sePort.Num("targetPort") ?? port), e.Str("network") ?? "", "",
            e.Str("labels", "security.istio.io/tlsMode") == "istio"))];
    }
}
