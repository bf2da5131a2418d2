using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

internal enum ResolutionKind
{
    /// <summary>The name does not resolve (curl exit 6).</summary>
    Unresolved,

    /// <summary>localhost, the pod's own hostname, or a loopback address.</summary>
    PodLocal,

    /// <summary>The URL names an IP address that is neither a known service VIP nor loopback.</summary>
    IpLiteral,

    /// <summary>A Service of the source cluster (by name or by ClusterIP).</summary>
    ClusterService,

    /// <summary>A ServiceEntry host or address of the source cluster (e.g. <c>httpbin.bar.global</c> → 240.0.0.2).</summary>
    ServiceEntry,
}

/// <summary>The DNS step's answer: what the host resolves to, and why (or why not).</summary>
internal sealed record Resolution(ResolutionKind Kind, string? Address, string Explanation)
{
    public JsonObject? Service { get; init; }

    public JsonObject? ServiceEntry { get; init; }

    public static Resolution Unresolved(string why) => new(ResolutionKind.Unresolved, null, why);
}
