using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>The hints the connection check shows on failure (one place, so that they stay consistent).</summary>
public static class CheckHints
{
    public const string Unreachable =
        "Check the server address in the kubeconfig and that the API server can be reached from the portal's host (firewall, VPN, private endpoint). " +
        "From the portal's host, curl -k https://<host>:<port>/version should answer.";

    public const string TlsUntrusted =
        "The server's certificate is not signed by the kubeconfig's certificate-authority-data. Paste a kubeconfig with the cluster's CA (kubectl config view --raw --minify).";

    public const string Unauthorized =
        "The token or client certificate was rejected (401): it is wrong, expired or revoked. Create a fresh credential " +
        "(e.g. kubectl -n <ns> create token <service-account>, or a new client certificate) and paste the kubeconfig again.";

    public const string Forbidden =
        "The credentials were accepted but lack permission (403). Bind the kubeconfig's user to a ClusterRole that can get and list namespaces, " +
        "services, pods, deployments and configmaps (and write what MeshPortal pushes), then check again.";

    public const string IstiodMissing =
        "Install Istio with the multicluster gateways profile (see the seed: istioctl manifest apply -f values-istio-multicluster-gateways.yaml, " +
        "after creating the shared cacerts secret), then check again.";

    public const string GatewayMissing =
        "The multicluster gateways profile installs istio-system/istio-ingressgateway with port 15443 (named tls). Install or re-apply it, then check again.";

    public const string GatewayNoAddress =
        "Give istio-ingressgateway a load-balancer address (type LoadBalancer on a cloud, or MetalLB), set spec.externalIPs, " +
        "or make sure its pods run so that the 15443 nodePort can be used with a node's address.";

    public const string DnsMissing =
        "Neither istiocoredns (istio-system/istiocoredns) nor Istio DNS proxying was found. Install Istio 1.6/1.7 with the multicluster gateways " +
        "profile (it deploys istiocoredns), or on Istio 1.8+ enable DNS proxying: meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: \"true\".";

    public const string KubeconfigRefused =
        "Fix the kubeconfig as described and paste it again; kubectl config view --raw --minify --flatten --context <name> produces a self-contained one.";

    public static string ForCallError(ClusterCallErrorKind kind) => kind switch
    {
        ClusterCallErrorKind.Unreachable => Unreachable,
        ClusterCallErrorKind.TlsUntrusted => TlsUntrusted,
        ClusterCallErrorKind.Unauthorized => Unauthorized,
        ClusterCallErrorKind.Forbidden => Forbidden,
        ClusterCallErrorKind.TooManyRequests => "The API server is throttling requests (429). Check again in a minute.",
        ClusterCallErrorKind.Timeout => "The API server did not answer in time; it may be overloaded. Check again later.",
        ClusterCallErrorKind.BadConfiguration => KubeconfigRefused,
        ClusterCallErrorKind.ServerError => "The API server failed the request (5xx). Look at the API server's health (kubectl get --raw /readyz) and check again.",
        _ => "The API server refused the request; see the message.",
    };
}
