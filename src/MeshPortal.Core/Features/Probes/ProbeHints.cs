namespace MeshPortal.Core.Features.Probes;

/// <summary>What a person should check for each failure class (the seed's troubleshooting, one sentence each).</summary>
public static class ProbeHints
{
    public const string Dns =
        "The name does not resolve in the consumer cluster: is the .global stub domain (kube-dns stubDomains / CoreDNS global:53 → istiocoredns) or Istio DNS proxying set up, and is there a ServiceEntry for this host with an address?";

    public const string Refused = "The connection was refused: is the probe pod's sidecar running, and does anything listen on this address and port?";

    public const string ClientTls = "TLS failed between curl and the sidecar: the probe should use plain http:// to the .global host and let the sidecar do mTLS.";

    public const string Trust =
        "mTLS to the remote gateway failed (CERTIFICATE_VERIFY_FAILED / unknown CA): do both clusters' istio-system/cacerts chain to the same root, and was istiod restarted after cacerts changed?";

    public const string Termination =
        "The remote gateway accepted and dropped the connection: on Istio 1.10+ check the *.global AUTO_PASSTHROUGH Gateway and the SNI-rewrite EnvoyFilter, and that the target pods have a sidecar.";

    public static string Timeout(int port) =>
        $"No answer in time: is the remote ingress gateway up and reachable from this cluster on 15443, and is port {port} listed in the ServiceEntry?";

    public static string Reset(int port) =>
        $"The connection was reset: is port {port} one of the ServiceEntry's ports, and is the remote ingress gateway reachable on 15443?";

    public static string GatewayConnect(int port) =>
        $"The sidecar could not connect to the remote ingress gateway: is the gateway up, is the ServiceEntry endpoint its address, and is the endpoint port 15443 (or its nodePort)? (service port {port})";

    public static string NoUpstream(string host) =>
        $"No healthy upstream for {host}: does the target service exist with this port, with Running and Ready pods, and does the ServiceEntry have endpoints?";

    public static string RbacDenied(string host) =>
        $"RBAC denied: the call reached {host}, and an AuthorizationPolicy in the exporting cluster (its namespace or istio-system) refuses this caller's identity. The mesh works; allow the consumer's service account if it should call this service.";

    public static string NotFound(string host) =>
        $"Envoy found no route for {host}: does the target service exist in the exporting cluster, and does another ServiceEntry claim the same host or VIP?";
}
