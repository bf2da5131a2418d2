using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshPortal.Core.Features.MeshModel;

/// <summary>
/// An Istio release number ("1.6.8", "1.24.0-distroless") and the release boundaries that decide which multi-cluster model a
/// cluster can run. Every boundary names its source in Istio's history (see ../shared/reference/istio-modern-multicluster.md).
/// </summary>
public readonly partial record struct IstioRelease(int Major, int Minor, int Patch) : IComparable<IstioRelease>
{
    /// <summary>The oldest release MeshPortal knows: the seed article's replicated control planes (Istio 1.6).</summary>
    public static readonly IstioRelease Oldest = new(1, 6, 0);

    /// <summary>DNS proxying in the sidecar agent (<c>releasenotes/notes/agent-dns-capture.yaml</c>@1.8.0); the multi-primary install guides start here.</summary>
    public static readonly IstioRelease DnsProxying = new(1, 8, 0);

    /// <summary>
    /// The built-in <c>*.global</c> Gateway/EnvoyFilter/DestinationRule of the multicluster overlay were deleted in 1.9.2
    /// (<c>manifests/charts/gateways/istio-ingress/templates/preconfigured.yaml</c>, cherry-pick 1eb057f0805; istio/istio#31736).
    /// </summary>
    public static readonly IstioRelease OverlayRemoved = new(1, 9, 2);

    /// <summary>
    /// From 1.11 an AUTO_PASSTHROUGH Gateway makes SNI-DNAT clusters whatever the router mode
    /// (<c>ContainsAutoPassthroughGateways</c>, <c>pilot/pkg/networking/core/cluster.go</c>); before, the gateway needs
    /// <c>ISTIO_META_ROUTER_MODE=sni-dnat</c> (1.8 made <c>standard</c> the default: <c>releasenotes/notes/sni-dnat-default.yaml</c>@1.8.0).
    /// </summary>
    public static readonly IstioRelease AutoSniDnat = new(1, 11, 0);

    /// <summary>istiod reloads a changed <c>cacerts</c> by itself from 1.18 (<c>AUTO_RELOAD_PLUGIN_CERTS</c>, <c>pilot/pkg/features/pilot.go</c>@1.18.0), but only when it started with plugged-in certificates (<c>pilot/pkg/bootstrap/istio_ca.go</c>@1.24.0).</summary>
    public static readonly IstioRelease PluggedCertReload = new(1, 18, 0);

    /// <summary><c>PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH</c> was removed in 1.19 (fa3a40dd175, istio/istio#44592); <c>tcp_cluster_rewrite</c> left istio-proxy in 1.20 (istio/proxy#4958).</summary>
    public static readonly IstioRelease LegacyPassthroughRemoved = new(1, 19, 0);

    /// <summary><c>networking.istio.io/v1</c> and <c>security.istio.io/v1</c> are served from 1.22.</summary>
    public static readonly IstioRelease V1Apis = new(1, 22, 0);

    /// <summary>Parses "1.6.8", "v1.24.0", "1.9.0-distroless"; false for anything else (a digest, "latest", empty).</summary>
    public static bool TryParse(string? text, out IstioRelease release)
    {
        release = default;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is null || !match.Success)
        {
            return false;
        }

        int At(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        release = new IstioRelease(At(1), At(2), At(3));
        return true;
    }

    /// <summary>
    /// True where AUTO_PASSTHROUGH has the CVE-2021-31921 fix (commit 5c089b95310: 1.8.6, 1.9.5, 1.10.0 and later): one filter
    /// chain per Service under the server's hosts, no <c>sni_cluster</c> unless the legacy flag is on (istio/istio#32848).
    /// </summary>
    public bool HasPassthroughSecurityFix =>
        this >= new IstioRelease(1, 10, 0)
        || (Major == 1 && Minor == 9 && Patch >= 5)
        || (Major == 1 && Minor == 8 && Patch >= 6);

    public int CompareTo(IstioRelease other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor != other.Minor ? Minor.CompareTo(other.Minor) : Patch.CompareTo(other.Patch);

    public static bool operator <(IstioRelease a, IstioRelease b) => a.CompareTo(b) < 0;

    public static bool operator >(IstioRelease a, IstioRelease b) => a.CompareTo(b) > 0;

    public static bool operator <=(IstioRelease a, IstioRelease b) => a.CompareTo(b) <= 0;

    public static bool operator >=(IstioRelease a, IstioRelease b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    [GeneratedRegex(@"^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?:[-+][0-9A-Za-z.-]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
