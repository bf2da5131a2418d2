namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// The classes of a failing multi-primary link (a <c>.svc.cluster.local</c> / <c>.svc.clusterset.local</c> name), from what the
/// sidecar answers (see the simulator's MESH-RULES.md D5, D7, D9, D17, D18), each with what to check. Pure.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>No remote secret / istiod not synced to the source cluster: the consumer's istiod knows no endpoint, 503 <c>no healthy upstream</c>.</item>
/// <item>East-west gateway down (or the source network unknown because <c>istio-system</c> lost its network label, so the sidecar dials the
/// remote pod directly): 503 <c>connection failure</c>.</item>
/// <item>DNS name missing: curl cannot resolve the name (exit 6): the consumer's selector-less Service is gone, or no DNS capture.</item>
/// <item>RBAC denied: 403 <c>RBAC: access denied</c> (an AuthorizationPolicy; see <see cref="ProbeHints.RbacDenied"/>).</item>
/// </list>
/// </remarks>
public static class ModernHints
{
    public const string NoRemoteSecret = "No remote secret / istiod not synced";
    public const string EastWestDown = "East-west gateway down";
    public const string DnsMissing = "DNS name missing";

    public static bool IsModernHost(string host) =>
        host.EndsWith(".svc.cluster.local", StringComparison.Ordinal) || host.EndsWith(".svc.clusterset.local", StringComparison.Ordinal);

    public static string? For(ProbeStatus status, string message, string host) => status switch
    {
        ProbeStatus.Dns =>
            $"{DnsMissing}: {host} does not resolve in this cluster. Without DNS capture MeshPortal keeps a selector-less Service of that name here " +
            "(was it deleted? the next push of this cluster recreates it); with MCS hosts, clusterset.local needs DNS capture.",
        ProbeStatus.NoUpstream when message.Contains("connection termination", StringComparison.Ordinal) =>
            "The remote east-west gateway dropped the connection: does it have the cross-network-gateway (AUTO_PASSTHROUGH for *.local on 15443), and do the target pods have a sidecar?",
        ProbeStatus.NoUpstream =>
            $"{NoRemoteSecret}: this cluster's istiod knows no endpoint for {host}. Does it hold istio-remote-secret-<exporting cluster ID> and has it synced " +
            "(cluster page → Remote clusters; MeshPortal rewrites a deleted secret on the next push)? Are the target pods Running and Ready, and with MCS discovery is there a ServiceExport?",
        ProbeStatus.Connect =>
            $"{EastWestDown}: the sidecar could not connect to the exporting cluster's endpoints. Is that network's east-west gateway up with a ready pod and an address, " +
            "and is istio-system labelled topology.istio.io/network in every cluster (without it istiod sends traffic straight to pods on the other network)?",
        ProbeStatus.Tls =>
            "mTLS failed (unknown CA): every cluster of the mesh must use cacerts from one root, and workloads must have restarted since (see the Trust page).",
        _ => null,
    };
}
