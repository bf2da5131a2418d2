using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The <c>MeshPortal:Exports</c> configuration section.</summary>
public sealed class ExportOptions
{
    public const string Section = "MeshPortal:Exports";

    /// <summary>
    /// Range the VIPs of exported hosts come from (CIDR). Default <c>240.0.0.0/16</c> (Admiral's); 127/8, multicast 224/4 and
    /// Istio's own auto-allocation range 240.240.0.0/16 are refused.
    /// </summary>
    public string VipRange { get; set; } = "240.0.0.0/16";

    /// <summary>Namespace MeshPortal creates in consumer clusters to hold the ServiceEntries of exports.</summary>
    public string Namespace { get; set; } = "meshportal-exports";

    /// <summary>How long the service picker's namespace/service lists of a cluster are cached.</summary>
    [Range(0, 86_400)]
    public int PickerCacheSeconds { get; set; } = 30;

    /// <summary>
    /// Use <c>resolution: STATIC</c> when every endpoint is an IP address. Default false: the seed's <c>resolution: DNS</c>,
    /// which every Istio version accepts for IP and hostname endpoints alike (reference §1, §7.3).
    /// </summary>
    public bool StaticWhenIp { get; set; }
}
