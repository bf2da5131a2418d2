using System.Text.RegularExpressions;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Seed;

namespace MeshPortal.Simulator;

/// <summary>
/// How Istio was installed in the cluster: what <c>istioctl install</c> / the Helm charts were given (IstioOperator values), and
/// where the cluster sits on the network. Every setting is rendered into the objects a real install creates (istiod env, the
/// <c>istio</c> ConfigMap, gateway Deployments and Services) and the mesh rules read those objects, not these settings.
/// All settings bind from <c>IConfiguration</c> (plain properties, string dictionaries).
/// </summary>
public sealed partial class SimulatedClusterOptions
{
    /// <summary>Install profile: <c>default</c> or <c>multicluster-gateways</c> (the 1.6-era
    /// <c>values-istio-multicluster-gateways.yaml</c> overlay: istiocoredns and the built-in <c>*.global</c> objects).
    /// Null: the overlay below Istio 1.8 (the seed's setup), <c>default</c> from 1.8.</summary>
    public string? Profile { get; set; }

    /// <summary><c>revision</c>: istiod becomes <c>istiod-&lt;rev&gt;</c>, labels carry <c>istio.io/rev=&lt;rev&gt;</c>, and only
    /// namespaces labelled <c>istio.io/rev=&lt;rev&gt;</c> get sidecars. Null: the default revision.</summary>
    public string? Revision { get; set; }

    /// <summary><c>values.global.meshID</c> (rendered as <c>defaultConfig.meshId</c> and the gateways' <c>ISTIO_META_MESH_ID</c>).</summary>
    public string? MeshId { get; set; }

    /// <summary><c>values.global.multiCluster.clusterName</c>: istiod's <c>CLUSTER_ID</c>. Null: <c>Kubernetes</c>, as the charts default.</summary>
    public string? ClusterId { get; set; }

    /// <summary>
    /// The network the cluster's pods are on: pods of clusters on the same network reach each other's pod IPs, others only through
    /// gateways. Null: the one shared default network. This is the physical fact; what istiod believes comes from
    /// <see cref="GlobalNetwork"/>, the <c>topology.istio.io/network</c> labels and meshNetworks.
    /// </summary>
    public string? Network { get; set; }

    /// <summary><c>values.global.network</c>: injected into proxies as <c>ISTIO_META_NETWORK</c> and the pod label
    /// <c>topology.istio.io/network</c>. Null: not set.</summary>
    public string? GlobalNetwork { get; set; }

    /// <summary><c>meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: "true"</c> (Istio 1.8+; off by default).</summary>
    public bool DnsCapture { get; set; }

    /// <summary>Extra <c>meshConfig.defaultConfig.proxyMetadata</c> entries (e.g. <c>ISTIO_META_DNS_AUTO_ALLOCATE</c>).</summary>
    public Dictionary<string, string> ProxyMetadata { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>ISTIO_META_ROUTER_MODE</c> of <c>istio-ingressgateway</c> (<c>sni-dnat</c> or <c>standard</c>). Null: what the
    /// version's default profile sets (sni-dnat before 1.8, standard 1.8–1.12, not set from 1.13).</summary>
    public string? IngressRouterMode { get; set; }

    /// <summary>Port 15443 (<c>tls</c>) on <c>istio-ingressgateway</c>. Null: the version's default (present before 1.10).</summary>
    public bool? IngressPassthroughPort { get; set; }

    /// <summary><c>PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH=true</c> on istiod; the flag exists in 1.8.6–1.8.x, 1.9.5–1.9.x and 1.10–1.18.</summary>
    public bool LegacyAutoPassthrough { get; set; }

    /// <summary><c>ENABLE_MCS_SERVICE_DISCOVERY=true</c> on istiod (Istio 1.11+).</summary>
    public bool McsServiceDiscovery { get; set; }

    /// <summary><c>ENABLE_MCS_HOST=true</c> on istiod (Istio 1.11+; needs <see cref="McsServiceDiscovery"/>).</summary>
    public bool McsHost { get; set; }

    /// <summary>Install <c>istio-eastwestgateway</c> as <c>samples/multicluster/gen-eastwest-gateway.sh</c> renders it (Istio 1.8+).</summary>
    public bool EastWestGateway { get; set; }

    /// <summary>A <c>cacerts</c> Secret (an intermediate of one root shared by every such cluster of the mesh) exists before istiod starts,
    /// as the plug-in CA docs do it. Otherwise istiod starts with its self-signed <c>istio-ca-secret</c>.</summary>
    public bool CacertsAtInstall { get; set; }

    /// <summary>Extra istiod environment (<c>values.pilot.env</c>), rendered as given; istiod reads what its version knows.</summary>
    public Dictionary<string, string> IstiodEnv { get; set; } = new(StringComparer.Ordinal);

    private static readonly Regex DnsLabel = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex VersionText = new(@"^v?\d+\.\d+(\.\d+)?([-+].*)?$", RegexOptions.CultureInvariant);
    private static readonly Regex EnvName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting when the combination cannot exist in that Istio version.</summary>
    internal void Validate()
    {
        string Fail(string message) => throw new ArgumentException($"Cluster \"{Name}\": {message}");
        if (!VersionText.IsMatch(IstioVersion ?? ""))
        {
            Fail($"IstioVersion \"{IstioVersion}\" is not a version like 1.24.3.");
        }

        var v = SimVersion.Parse(IstioVersion!);
        if (v < new SimVersion(1, 6) || v >= new SimVersion(1, 31))
        {
            Fail($"IstioVersion {IstioVersion} is not simulated (1.6 to 1.30).");
        }

        if (KubernetesVersion is { } k && !VersionText.IsMatch(k))
        {
            Fail($"KubernetesVersion \"{k}\" is not a version like 1.30.4.");
        }

        switch (Profile)
        {
            case null or InstallPlan.DefaultProfile:
                break;
            case InstallPlan.MulticlusterProfile when v >= new SimVersion(1, 9, 2):
                Fail($"Profile {Profile} does not exist in Istio {IstioVersion}: its *.global templates were removed in 1.9.2 (istio/istio#31736).");
                break;
            case InstallPlan.MulticlusterProfile:
                break;
            default:
                Fail($"Profile \"{Profile}\" is unknown; use \"{InstallPlan.DefaultProfile}\" or \"{InstallPlan.MulticlusterProfile}\".");
                break;
        }

        if (Revision is { } rev && (!DnsLabel.IsMatch(rev) || rev.Length > 53 || rev == "default"))
        {
            Fail($"Revision \"{rev}\" must be a DNS label other than \"default\" (omit it for the default revision).");
        }

        if (IngressRouterMode is { } mode && mode is not ("sni-dnat" or "standard"))
        {
            Fail($"IngressRouterMode \"{mode}\" is unknown; ISTIO_META_ROUTER_MODE is \"sni-dnat\" or \"standard\".");
        }

        if (LegacyAutoPassthrough && !IstioReleases.HasLegacyPassthroughFlag(v))
        {
            Fail($"LegacyAutoPassthrough: PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH exists only in Istio 1.8.6–1.8.x, 1.9.5–1.9.x and 1.10–1.18 " +
                 $"(added with the CVE-2021-31921 fix, removed in 1.19 by istio/istio#44592); {IstioVersion} has no such flag.");
        }

        if ((McsServiceDiscovery || McsHost) && v < new SimVersion(1, 11))
        {
            Fail($"ENABLE_MCS_SERVICE_DISCOVERY/ENABLE_MCS_HOST exist from Istio 1.11 (pilot/pkg/features); {IstioVersion} has neither.");
        }

        if (McsHost && !McsServiceDiscovery)
        {
            Fail("McsHost needs McsServiceDiscovery: ENABLE_MCS_HOST is ignored unless ENABLE_MCS_SERVICE_DISCOVERY is on (pilot/pkg/features/experimental.go).");
        }

        if (DnsCapture && v < new SimVersion(1, 8))
        {
            Fail($"DnsCapture: ISTIO_META_DNS_CAPTURE (DNS proxying) exists from Istio 1.8; {IstioVersion} resolves .global through istiocoredns.");
        }

        if (EastWestGateway && v < new SimVersion(1, 8))
        {
            Fail($"EastWestGateway: samples/multicluster/gen-eastwest-gateway.sh exists from Istio 1.8; {IstioVersion} uses the multicluster-gateways overlay.");
        }

        foreach (var key in IstiodEnv.Keys.Concat(ProxyMetadata.Keys).Where(k => !EnvName.IsMatch(k)))
        {
            Fail($"\"{key}\" is not an environment variable name.");
        }

        foreach (var (label, value) in new[] { ("MeshId", MeshId), ("ClusterId", ClusterId), ("Network", Network), ("GlobalNetwork", GlobalNetwork) })
        {
            if (value is not null && (value.Length is 0 or > 63 || !Regex.IsMatch(value, "^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")))
            {
                Fail($"{label} \"{value}\" must be 1–63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.");
            }
        }
    }
}
