using System.Text;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Discovery;

/// <summary>
/// Builds and caches istiod's view (<see cref="PushContext"/>) per cluster and revision, keyed by the resourceVersions and runtime
/// state of every cluster it reads, so repeated requests (probes) reuse it until something it depends on changes.
/// </summary>
internal static class PushContexts
{
    /// <summary>The config a proxy has: its revision's live view while istiod serves, the view it kept otherwise, none if it never got any.</summary>
    public static PushContext? ForProxy(SimulatedMesh? mesh, SimulatedCluster cluster, PodInfo pod)
    {
        if (!pod.HasProxy || cluster.Runtime.Cert(pod.Uid) is null)
        {
            return null;
        }

        return cluster.Runtime.Istiod(pod.Revision) is not null ? Live(mesh, cluster, pod.Revision) : cluster.Runtime.FrozenConfig(pod.Revision) as PushContext;
    }

    /// <summary>What a serving istiod of the revision pushes now.</summary>
    public static PushContext Live(SimulatedMesh? mesh, SimulatedCluster cluster, string revision)
    {
        var snapshot = cluster.Snapshot();
        var now = cluster.Time.GetUtcNow();
        var env = cluster.Runtime.Istiod(revision)?.Env ?? new Dictionary<string, string>();
        var clusterId = env.GetValueOrDefault("CLUSTER_ID") ?? cluster.Install.ClusterId;
        var remotes = RemoteClusters.Read(mesh, snapshot, clusterId, now);
        var key = new StringBuilder().Append(snapshot.ResourceVersion).Append('|').Append(cluster.Runtime.Version);
        foreach (var r in remotes)
        {
            key.Append('|').Append(r.ClusterId).Append(':').Append(r.Problem is null ? r.Target!.Snapshot().ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) : r.Problem);
        }

        var cacheKey = key.ToString();
        var slot = "push:" + revision;
        if (cluster.Derived.TryGetValue(slot, out var cached) && cached.Key == cacheKey)
        {
            return (PushContext)cached.Value;
        }

        var push = Build(cluster, snapshot, revision, clusterId, env, remotes, now);
        cluster.Derived[slot] = (cacheKey, push);
        return push;
    }

    private static PushContext Build(SimulatedCluster cluster, ClusterSnapshot snapshot, string revision, string clusterId,
        IReadOnlyDictionary<string, string> env, IReadOnlyList<RemoteCluster> remotes, DateTimeOffset now)
    {
        var version = cluster.Install.Version;
        var istiodName = revision == "default" ? "istiod" : $"istiod-{revision}";
        var mesh = MeshSettings.Read(snapshot, revision, istiodName);
        var registries = new List<Registry> { new(clusterId, snapshot, true) };
        registries.AddRange(remotes.Where(r => r.Connected).Select(r => new Registry(r.ClusterId, r.Target!.Snapshot(), false)));
        return new PushContext
        {
            Cluster = cluster,
            Local = snapshot,
            Revision = revision,
            Version = version,
            ClusterId = clusterId,
            Mesh = mesh,
            Env = env,
            Registries = registries,
            Remotes = remotes,
            NetworkGateways = Gateways(mesh, registries),
            Services = MergeServices(PushContext.McsHostEnabled(version, env), registries, snapshot),
            TakenAt = now,
        };
    }

    /// <summary>Kubernetes Services merged by hostname across registries, MCS clusterset hosts, and ServiceEntry hosts.</summary>
    private static Dictionary<string, MeshService> MergeServices(bool mcsHost, IReadOnlyList<Registry> registries, ClusterSnapshot local)
    {
        var result = new Dictionary<string, MeshService>(StringComparer.OrdinalIgnoreCase);
        var instances = new Dictionary<string, List<(Registry, KubeService)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var registry in registries)
        {
            foreach (var service in registry.Snapshot.Services)
            {
                if (!instances.TryGetValue(service.Hostname, out var list))
                {
                    instances[service.Hostname] = list = [];
                }

                list.Add((registry, service));
            }
        }

        foreach (var (host, list) in instances)
        {
            var first = list[0].Item2;
            var exportTo = first.Annotations.GetValueOrDefault("networking.istio.io/exportTo")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            result[host] = new MeshService { Hostname = host, Namespace = first.Namespace, Name = first.Name, Instances = list, ExportTo = exportTo is { Length: > 0 } e ? e : ["*"] };
            if (mcsHost && list.Any(i => i.Item1.Snapshot.ServiceExports.Contains(i.Item2.Key)))
            {
                var setHost = $"{first.Name}.{first.Namespace}.svc.clusterset.local";
                result[setHost] = new MeshService
                {
                    Hostname = setHost, Namespace = first.Namespace, Name = first.Name, ClusterSet = true,
                    Instances = [.. list.Where(i => i.Item1.Snapshot.ServiceExports.Contains(i.Item2.Key))],
                };
            }
        }

        foreach (var se in local.ServiceEntries.OrderBy(s => s.Namespace(), StringComparer.Ordinal).ThenBy(s => s.Name(), StringComparer.Ordinal))
        {
            var exportTo = se.Strings("spec", "exportTo").ToList();
            foreach (var host in se.Strings("spec", "hosts"))
            {
                result.TryAdd(host, new MeshService
                {
                    Hostname = host.ToLowerInvariant(), Namespace = se.Namespace(), Name = se.Name(), ServiceEntry = se,
                    ExportTo = exportTo.Count > 0 ? exportTo : ["*"],
                });
            }
        }

        return result;
    }

    /// <summary>
    /// Network gateways (<c>network.go</c>): Services of any registry labelled <c>topology.istio.io/network</c> (port from
    /// <c>networking.istio.io/gatewayPort</c>, default 15443) with load-balancer or external addresses, and meshNetworks gateways
    /// (<c>registryServiceName</c> in the network's <c>fromRegistry</c> cluster, or a literal <c>address</c>).
    /// </summary>
    private static List<NetworkGateway> Gateways(MeshSettings mesh, IReadOnlyList<Registry> registries)
    {
        var result = new List<NetworkGateway>();
        foreach (var registry in registries)
        {
            foreach (var service in registry.Snapshot.Services)
            {
                if (service.Labels.GetValueOrDefault("topology.istio.io/network") is not { Length: > 0 } network)
                {
                    continue;
                }

                var port = int.TryParse(service.Labels.GetValueOrDefault("networking.istio.io/gatewayPort"), out var p) ? p : GatewayPorts.Passthrough;
                result.AddRange(service.ExternalAddresses.Select(a => new NetworkGateway(network, registry.ClusterId, a, port)));
            }

            foreach (var network in mesh.Networks.Where(n => n.FromRegistries.Contains(registry.ClusterId)))
            {
                foreach (var (serviceName, address, port) in network.Gateways)
                {
                    if (address is not null)
                    {
                        result.Add(new NetworkGateway(network.Name, "", address, port));
                    }
                    else if (serviceName is not null && registry.Snapshot.Services.FirstOrDefault(s => s.Hostname == serviceName) is { } service)
                    {
                        result.AddRange(service.ExternalAddresses.Select(a => new NetworkGateway(network.Name, registry.ClusterId, a, port)));
                    }
                }
            }
        }

        return [.. result.Distinct().OrderBy(g => g.Network, StringComparer.Ordinal).ThenBy(g => g.ClusterId, StringComparer.Ordinal).ThenBy(g => g.Address, StringComparer.Ordinal)];
    }
}

/// <summary>Well-known gateway ports.</summary>
internal static class GatewayPorts
{
    /// <summary>The mTLS passthrough port of multi-cluster gateways (<c>DefaultNetworkGatewayPort</c>).</summary>
    public const int Passthrough = 15443;
}
