using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh.Dataplane;

/// <summary>A network filter in a gateway filter chain: its name, type URL and config (for tcp_cluster_rewrite).</summary>
internal sealed record ChainFilter(string Name, JsonNode? Config = null);

/// <summary>
/// One filter chain of a gateway listener: selected by an exact SNI (per-service chains) or by SNI patterns (the server's hosts, legacy
/// chain), optionally only with Istio's mTLS ALPNs; its network filters end in tcp_proxy to <see cref="Cluster"/>.
/// </summary>
internal sealed record FilterChain(string? Sni, IReadOnlyList<string> SniPatterns, bool IstioAlpnOnly, IReadOnlyList<ChainFilter> Filters, string Cluster);

/// <summary>A gateway's listener on one port, as istiod builds it and Envoy accepts (or NACKs) it.</summary>
internal sealed record GatewayListener(int Port, IReadOnlyList<FilterChain> Chains, bool SniDnatClusters, string Explanation)
{
    public string? NackReason { get; init; }
}

/// <summary>
/// The listener a gateway proxy gets for a port (<c>pilot/pkg/networking/core/gateway.go</c>), from the Gateways whose <c>selector</c>
/// matches the gateway pod (in any namespace) and have a server on that port:
/// <list type="bullet">
/// <item>AUTO_PASSTHROUGH before the CVE-2021-31921 fix, or with <c>PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH=true</c> where that flag exists:
/// one chain for SNIs under the server's hosts running <c>sni_cluster</c> (the SNI becomes the upstream cluster) then tcp_proxy.</item>
/// <item>AUTO_PASSTHROUGH after the fix: one chain per service (Kubernetes Services of every registry, MESH_INTERNAL ServiceEntries)
/// whose hostname is under a server host, per non-UDP port (and DestinationRule subset), matched by the exact SNI
/// <c>outbound_.port_.subset_.host</c> and Istio's ALPNs, with tcp_proxy to that cluster (<c>builtAutoPassthroughFilterChains</c>).</item>
/// <item>Those <c>outbound_.port_._.host</c> clusters exist before 1.11 only in router mode <c>sni-dnat</c> (<c>cluster.go</c>@1.10.0),
/// from 1.11 whenever the gateway has an AUTO_PASSTHROUGH server.</item>
/// <item>EnvoyFilter NETWORK_FILTER patches (root namespace or the pod's, <c>workloadSelector</c>, context GATEWAY/ANY, listener port,
/// filter chain SNI and filter name) change the chains; a patch whose filter is not in the chain does nothing; a <c>config</c> Struct
/// (xDS v2) cannot be built from 1.8 and is skipped; a filter the proxy version does not ship makes Envoy reject (NACK) the listener,
/// and the gateway keeps the listener it had (see <see cref="For"/>).</item>
/// <item>Other server TLS modes (PASSTHROUGH with VirtualService routes, SIMPLE, MUTUAL, ISTIO_MUTUAL) are not modelled: such a
/// listener has no chain for mesh traffic.</item>
/// </list>
/// </summary>
internal static class GatewayListeners
{
    public const string SniCluster = "envoy.filters.network.sni_cluster";
    public const string TcpClusterRewrite = "envoy.filters.network.tcp_cluster_rewrite";
    public const string TcpProxy = "envoy.filters.network.tcp_proxy";
    public const string BlackHole = "BlackHoleCluster";

    /// <summary>
    /// The listener the gateway pod runs for <paramref name="targetPort"/> (null: nothing listens). When the current config would be
    /// NACKed, the gateway keeps the last listener it accepted for that port; if it never accepted one here, the listener without the
    /// rejected patches stands in for it.
    /// </summary>
    public static GatewayListener? For(PushContext config, PodInfo gateway, int targetPort, int servicePort)
    {
        var key = $"listener:{gateway.Uid}:{targetPort}:{servicePort}";
        var listener = config.Cache.GetOrAdd(key, _ => Build(config, gateway, targetPort, servicePort, skipUnknown: false)) as GatewayListener;
        var memo = $"accepted:{gateway.Uid}:{targetPort}";
        var derived = config.Cluster.Derived;
        if (listener is null)
        {
            return null;
        }

        if (listener.NackReason is null)
        {
            derived[memo] = ("", listener);
            return listener;
        }

        if (derived.TryGetValue(memo, out var kept) && kept.Value is GatewayListener previous)
        {
            return previous with { Explanation = $"{previous.Explanation}; the newer listener was rejected (NACK: {listener.NackReason}), the gateway keeps this one" };
        }

        var fallback = Build(config, gateway, targetPort, servicePort, skipUnknown: true)!;
        return fallback with { Explanation = $"{fallback.Explanation}; the patched listener was rejected (NACK: {listener.NackReason}) and the gateway keeps its config without that patch" };
    }

    private static GatewayListener? Build(PushContext config, PodInfo gateway, int targetPort, int servicePort, bool skipUnknown)
    {
        var selecting = config.Local.Gateways.Where(g => Selects(g, gateway)).ToList();
        var servers = selecting.SelectMany(g => g.Objects("spec", "servers").Select(s => (Gateway: g, Server: s)))
            .Where(x => x.Server.Num("port", "number") is { } n && (n == targetPort || n == servicePort)).ToList();
        if (servers.Count == 0)
        {
            return null;
        }

        var version = config.Version;
        var auto = servers.Where(x => x.Server.Str("tls", "mode") == "AUTO_PASSTHROUGH").ToList();
        var names = string.Join(", ", servers.Select(x => $"{x.Gateway.Namespace()}/{x.Gateway.Name()}").Distinct());
        var routerMode = gateway.ProxyEnv.GetValueOrDefault("ISTIO_META_ROUTER_MODE") ?? "standard";
        var anyAuto = selecting.SelectMany(g => g.Objects("spec", "servers")).Any(s => s.Str("tls", "mode") == "AUTO_PASSTHROUGH");
        var dnat = IstioReleases.AutoPassthroughMakesSniClusters(version) ? anyAuto : routerMode == "sni-dnat";
        var legacy = !IstioReleases.HasAutoPassthroughFix(version) || config.LegacyAutoPassthrough;
        var chains = new List<FilterChain>();
        if (legacy)
        {
            chains.AddRange(auto.Select(x => new FilterChain(null, [.. x.Server.Strings("hosts").Select(HostMatch.NamePart)], false,
                [new ChainFilter(SniCluster), new ChainFilter(TcpProxy)], BlackHole)));
        }
        else
        {
            var hosts = auto.SelectMany(x => x.Server.Strings("hosts").Select(HostMatch.NamePart)).ToList();
            foreach (var service in config.Services.Values.Where(s => hosts.Any(h => HostMatch.Matches(h, s.Hostname)) && ServesMesh(s)
                         && Visibility.Exported(s.ExportTo, s.Namespace, gateway.Namespace)))
            {
                foreach (var port in Ports(service))
                {
                    var subsets = ClientTls.DestinationRule(config, gateway.Namespace, service.Hostname).Objects("spec", "subsets").Select(s => s.Str("name") ?? "");
                    foreach (var subset in subsets.Prepend(""))
                    {
                        var sni = $"outbound_.{port}_.{subset}_.{service.Hostname}";
                        chains.Add(new FilterChain(sni, [], true, [new ChainFilter(TcpProxy)], sni));
                    }
                }
            }
        }

        var mode = legacy
            ? (IstioReleases.HasAutoPassthroughFix(version) ? "the legacy AUTO_PASSTHROUGH chain (PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH=true)" : "the pre-fix AUTO_PASSTHROUGH chain (sni_cluster)")
            : "per-service AUTO_PASSTHROUGH chains (CVE-2021-31921 fix)";
        var why = auto.Count == 0
            ? $"Gateway {names} serves port {servicePort} without AUTO_PASSTHROUGH (other TLS modes are not modelled for mesh traffic)"
            : $"Gateway {names} on port {servicePort}: {mode}";
        var listener = new GatewayListener(targetPort, chains, dnat, why);
        return Patch(config, gateway, listener, skipUnknown);
    }

    private static bool Selects(JsonObject gateway, PodInfo pod)
    {
        var selector = gateway.Map("spec", "selector");
        return selector.Count > 0 && selector.All(kv => pod.Labels.GetValueOrDefault(kv.Key) == kv.Value);
    }

    private static bool ServesMesh(MeshService service) =>
        service.ServiceEntry is null || service.ServiceEntry.Str("spec", "location") != "MESH_EXTERNAL";

    private static IEnumerable<int> Ports(MeshService service) => service.ServiceEntry is { } se
        ? se.Objects("spec", "ports").Where(p => !Protocols.IsUdp(p.Str("protocol"))).Select(p => (int)(p.Num("number") ?? 0)).Distinct()
        : service.Instances.SelectMany(i => i.Service.Ports).Where(p => !Protocols.IsUdp(p.Protocol)).Select(p => p.Port).Distinct();

    /// <summary>Applies the EnvoyFilter NETWORK_FILTER patches that select this gateway and port.</summary>
    private static GatewayListener Patch(PushContext config, PodInfo gateway, GatewayListener listener, bool skipUnknown)
    {
        var chains = listener.Chains.Select(c => c.Filters.ToList()).ToList();
        string? nack = null;
        var applied = new List<string>();
        foreach (var filter in config.Local.EnvoyFilters.Where(f => AppliesTo(f, gateway, config.Mesh.RootNamespace))
                     .OrderBy(f => f.Num("spec", "priority") ?? 0).ThenBy(f => f.Str("metadata", "creationTimestamp"), StringComparer.Ordinal))
        {
            foreach (var patch in filter.Objects("spec", "configPatches").Where(p => p.Str("applyTo") == "NETWORK_FILTER"))
            {
                var match = patch.At("match");
                if (match.Str("context") is { } context && context is not ("GATEWAY" or "ANY")
                    || match.Num("listener", "portNumber") is { } port && port != listener.Port)
                {
                    continue;
                }

                var value = patch.At("patch", "value");
                var operation = patch.Str("patch", "operation") ?? "";
                if (value.At("config") is not null && config.Version >= new SimVersion(1, 8))
                {
                    continue; // xDS v3 has no 'config' field: istiod cannot build the patch and skips it
                }

                var id = value.Str("typed_config", "@type") ?? value.Str("name") ?? "";
                var inserted = new ChainFilter(FilterName(value), value.At("typed_config") ?? value.At("config"));
                var target = match.Str("listener", "filterChain", "filter", "name");
                var sni = match.Str("listener", "filterChain", "sni");
                for (var i = 0; i < chains.Count; i++)
                {
                    if (sni is not null && listener.Chains[i].Sni != sni)
                    {
                        continue;
                    }

                    var list = chains[i];
                    var at = target is null ? -1 : list.FindIndex(f => f.Name == target);
                    if (target is not null && at < 0)
                    {
                        continue;
                    }

                    var inserts = operation is "INSERT_BEFORE" or "INSERT_AFTER" or "INSERT_FIRST" or "REPLACE";
                    if (inserts && !KnownFilter(id, config.Version))
                    {
                        nack ??= $"EnvoyFilter {filter.Namespace()}/{filter.Name()} adds {id}, which istio-proxy {config.Version} does not have";
                        if (skipUnknown)
                        {
                            continue;
                        }
                    }

                    switch (operation)
                    {
                        case "INSERT_BEFORE":
                            list.Insert(at < 0 ? 0 : at, inserted);
                            break;
                        case "INSERT_AFTER":
                            list.Insert(at < 0 ? list.Count : at + 1, inserted);
                            break;
                        case "INSERT_FIRST":
                            list.Insert(0, inserted);
                            break;
                        case "REPLACE" when at >= 0:
                            list[at] = inserted;
                            break;
                        case "REMOVE" when at >= 0:
                            list.RemoveAt(at);
                            break;
                        default:
                            continue;
                    }

                    applied.Add($"{filter.Namespace()}/{filter.Name()}");
                }
            }
        }

        var patched = listener.Chains.Select((c, i) => c with { Filters = chains[i] }).ToList();
        var note = applied.Count == 0 ? "" : $"; patched by EnvoyFilter {string.Join(", ", applied.Distinct())}";
        return listener with { Chains = patched, Explanation = listener.Explanation + note, NackReason = skipUnknown ? null : nack };
    }

    private static bool AppliesTo(JsonObject filter, PodInfo pod, string rootNamespace)
    {
        if (filter.Namespace() != rootNamespace && filter.Namespace() != pod.Namespace)
        {
            return false;
        }

        return filter.Map("spec", "workloadSelector", "labels").All(kv => pod.Labels.GetValueOrDefault(kv.Key) == kv.Value);
    }

    private static string FilterName(JsonNode? value) => value.Str("typed_config", "@type") switch
    {
        { } t when t.EndsWith(".TcpClusterRewrite", StringComparison.Ordinal) => TcpClusterRewrite,
        { } t when t.EndsWith(".SniCluster", StringComparison.Ordinal) => SniCluster,
        { } t when t.EndsWith(".TcpProxy", StringComparison.Ordinal) => TcpProxy,
        _ => value.Str("name") ?? "",
    };

    /// <summary>Whether the proxy of that version ships the filter (by type URL, or by name when there is none).</summary>
    public static bool KnownFilter(string id, SimVersion proxy) => id switch
    {
        TcpClusterRewrite or "type.googleapis.com/istio.envoy.config.filter.network.tcp_cluster_rewrite.v2alpha1.TcpClusterRewrite"
            => IstioReleases.ProxyHasTcpClusterRewrite(proxy),
        SniCluster or "type.googleapis.com/envoy.extensions.filters.network.sni_cluster.v3.SniCluster"
            or TcpProxy or "envoy.tcp_proxy" or "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy"
            or "envoy.filters.network.rbac" or "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC"
            or "envoy.filters.network.http_connection_manager"
            or "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager" => true,
        _ => false,
    };

    /// <summary>
    /// The upstream cluster a connection with this SNI gets through a chain: tcp_proxy's cluster, unless <c>sni_cluster</c> set it
    /// from the SNI (then a later <c>tcp_cluster_rewrite</c> rewrites it with its <c>cluster_pattern</c>/<c>cluster_replacement</c>).
    /// </summary>
    public static string ClusterOf(FilterChain chain, string sni)
    {
        string? overridden = null;
        foreach (var filter in chain.Filters)
        {
            switch (filter.Name)
            {
                case SniCluster when sni.Length > 0:
                    overridden = sni;
                    break;
                case TcpClusterRewrite when overridden is not null && filter.Config.Str("cluster_pattern") is { } pattern:
                    try
                    {
                        overridden = Regex.Replace(overridden, pattern, filter.Config.Str("cluster_replacement") ?? "", RegexOptions.None, TimeSpan.FromMilliseconds(50));
                    }
                    catch (ArgumentException)
                    {
                        // An invalid RE2 pattern leaves the name as it is.
                    }

                    break;
                case TcpProxy:
                    return overridden ?? chain.Cluster;
            }
        }

        return BlackHole;
    }

    /// <summary>The chain a connection with this SNI (and Istio's ALPN or not) lands on, or null.</summary>
    public static FilterChain? Match(GatewayListener listener, string sni, bool istioAlpn) =>
        listener.Chains.FirstOrDefault(c => c.Sni == sni && (!c.IstioAlpnOnly || istioAlpn))
        ?? listener.Chains.FirstOrDefault(c => c.Sni is null && sni.Length > 0 && c.SniPatterns.Any(p => HostMatch.Matches(p, sni)));
}
