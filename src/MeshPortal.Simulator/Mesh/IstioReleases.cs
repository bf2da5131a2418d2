namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// What changed between Istio releases, one place for every version threshold the simulator uses (sources in MESH-RULES.md).
/// </summary>
internal static class IstioReleases
{
    private static readonly SimVersion V1_8 = new(1, 8);
    private static readonly SimVersion V1_9 = new(1, 9);
    private static readonly SimVersion V1_10 = new(1, 10);

    /// <summary>
    /// The CVE-2021-31921 fix (commit 5c089b95310; 1.8.6, 1.9.5, 1.10.0): AUTO_PASSTHROUGH builds one filter chain per Service whose
    /// hostname is under the server's hosts, keyed by the SNI <c>outbound_.port_._.host</c>, instead of <c>sni_cluster</c> → any cluster.
    /// </summary>
    public static bool HasAutoPassthroughFix(SimVersion v) =>
        v >= V1_10 || (v.Major == 1 && v.Minor == 9 && v.Patch >= 5) || (v.Major == 1 && v.Minor == 8 && v.Patch >= 6);

    /// <summary><c>PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH</c>: added with the fix, removed in 1.19 (fa3a40dd175, #44592).</summary>
    public static bool HasLegacyPassthroughFlag(SimVersion v) => HasAutoPassthroughFix(v) && v < new SimVersion(1, 19);

    /// <summary>
    /// Before 1.11 a gateway builds the SNI-DNAT clusters (<c>outbound_.port_._.host</c>) only in router mode <c>sni-dnat</c>
    /// (<c>cluster.go</c>@1.10.0:103); from 1.11 any AUTO_PASSTHROUGH Gateway on it makes them (<c>ContainsAutoPassthroughGateways</c>).
    /// </summary>
    public static bool AutoPassthroughMakesSniClusters(SimVersion v) => v >= new SimVersion(1, 11);

    /// <summary>istio-proxy ships <c>envoy.filters.network.tcp_cluster_rewrite</c> up to 1.19 (deleted by istio/proxy e2ced9c15, #4958, in 1.20).</summary>
    public static bool ProxyHasTcpClusterRewrite(SimVersion v) => v < new SimVersion(1, 20);

    /// <summary>The default ingress gateway lost port 15443 in 1.10 (<c>releasenotes/notes/mc-gateway-ports.yaml</c>).</summary>
    public static bool IngressHasPassthroughPortByDefault(SimVersion v) => v < V1_10;

    /// <summary><c>ISTIO_META_ROUTER_MODE</c> the default profile renders on istio-ingressgateway: sni-dnat before 1.8
    /// (<c>profiles/default.yaml</c>@1.6.8), standard from 1.8 (<c>sni-dnat-default.yaml</c>@1.8.0) to 1.12, unset from 1.13.</summary>
    public static string? DefaultIngressRouterMode(SimVersion v) => v < V1_8 ? "sni-dnat" : v < new SimVersion(1, 13) ? "standard" : null;

    /// <summary>DNS proxying by the sidecar agent (<c>ISTIO_META_DNS_CAPTURE</c>) exists from 1.8 (<c>agent-dns-capture.yaml</c>@1.8.0).</summary>
    public static bool HasDnsCapture(SimVersion v) => v >= V1_8;

    /// <summary>The istiocoredns addon chart exists before 1.9 (removed in 1.9.0).</summary>
    public static bool HasIstioCoreDns(SimVersion v) => v < V1_9;

    /// <summary>The built-in <c>*.global</c> Gateway/EnvoyFilter/DestinationRule template exists before 1.9.2 (1eb057f0805, #31736).</summary>
    public static bool HasBuiltInGlobalTemplate(SimVersion v) => v < new SimVersion(1, 9, 2);

    /// <summary>The built-in EnvoyFilter uses <c>typed_config</c> (v2alpha1 TcpClusterRewrite) from 1.8; before, a <c>config</c> Struct.</summary>
    public static bool BuiltInEnvoyFilterTyped(SimVersion v) => v >= V1_8;

    /// <summary>istiod's <c>/debug/clusterz</c> exists from 1.11 (<c>pilot/pkg/xds/debug.go</c>).</summary>
    public static bool HasClusterz(SimVersion v) => v >= new SimVersion(1, 11);

    /// <summary>A remote cluster that never syncs reports "timeout" after PILOT_REMOTE_CLUSTER_TIMEOUT (30 s) from 1.14; before, "syncing".</summary>
    public static bool ReportsSyncTimeout(SimVersion v) => v >= new SimVersion(1, 14);

    /// <summary>The endpoint network from the istio-system namespace label <c>topology.istio.io/network</c> (controller.go@1.10.0).</summary>
    public static bool ReadsNetworkFromSystemNamespace(SimVersion v) => v >= V1_10;

    /// <summary>MCS flags (ENABLE_MCS_SERVICE_DISCOVERY, ENABLE_MCS_HOST) exist from 1.11.</summary>
    public static bool HasMcs(SimVersion v) => v >= new SimVersion(1, 11);

    /// <summary>
    /// Whether istiod reloads a changed <c>cacerts</c> without a restart: only if it started with plugged certs and
    /// AUTO_RELOAD_PLUGIN_CERTS is on (flag from 1.14, default false; default true in 1.18; the watcher is unconditional for plugged
    /// certs by 1.24, <c>istio_ca.go</c>@1.24.0:428-473).
    /// </summary>
    public static bool ReloadsPluggedCerts(SimVersion v, string? autoReloadEnv)
    {
        if (v < new SimVersion(1, 14))
        {
            return false;
        }

        if (v >= new SimVersion(1, 24))
        {
            return true;
        }

        return autoReloadEnv is null ? v >= new SimVersion(1, 18) : string.Equals(autoReloadEnv, "true", StringComparison.OrdinalIgnoreCase);
    }
}
