namespace MeshPortal.Core.Probes;

/// <summary>What to check when a multi-primary link (a <c>.svc.cluster.local</c> / <c>.svc.clusterset.local</c> name) fails. Pure.</summary>
public static class ModernHints
{
    public static bool IsModernHost(string host) =>
        host.EndsWith(".svc.cluster.local", StringComparison.Ordinal) || host.EndsWith(".svc.clusterset.local", StringComparison.Ordinal);

    public static string? For(ProbeStatus status, string message, string host) => status switch
    {
        ProbeStatus.Dns =>
            $"{host} does not resolve in this cluster: without DNS capture MeshPortal creates a selector-less Service of that name here (see the export's consumer state); with MCS hosts, clusterset.local needs DNS capture.",
        ProbeStatus.NoUpstream when message.Contains("connection termination", StringComparison.Ordinal) =>
            "The remote east-west gateway dropped the connection: does it have the cross-network-gateway (AUTO_PASSTHROUGH for *.local on 15443), and do the target pods have a sidecar?",
        ProbeStatus.NoUpstream =>
            "No endpoint known for this name: does this cluster's istiod hold a synced remote secret for the exporting cluster (cluster page → Remote clusters), are the target pods Running and Ready, and with MCS discovery is there a ServiceExport?",
        ProbeStatus.Connect =>
            "The sidecar could not reach the endpoint: across networks, is the exporting network's east-west gateway up with an address, is istio-system labelled with each cluster's network, and is there a partition between the networks?",
        ProbeStatus.Tls =>
            "mTLS failed (unknown CA): every cluster of the mesh must use cacerts from one root, and workloads must have restarted since (see the Trust page).",
        _ => null,
    };
}
