using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.MultiCluster;

/// <summary>
/// The objects of the multi-primary model that let one istiod read another cluster, shaped exactly as
/// <c>istioctl create-remote-secret</c> writes them (<c>istioctl/pkg/multicluster/remote_secret.go</c>@1.24.0): a Secret
/// <c>istio-system/istio-remote-secret-&lt;cluster&gt;</c> labelled <c>istio/multiCluster: "true"</c>, annotated
/// <c>networking.istio.io/cluster</c>, whose one data key is the remote cluster's ID and holds a kubeconfig with the remote
/// API server, its CA and a token of its <c>istio-reader-service-account</c> (never the credential MeshPortal uses). Pure.
/// </summary>
public static class RemoteSecrets
{
    public const string Namespace = "istio-system";
    public const string MultiClusterLabel = "istio/multiCluster";
    public const string ClusterAnnotation = "networking.istio.io/cluster";
    public const string ReaderServiceAccount = "istio-reader-service-account";

    /// <summary>The token Secret istioctl creates for the reader account on Kubernetes 1.24+ (no auto-generated tokens there).</summary>
    public const string ReaderTokenSecret = "istio-reader-service-account-istio-remote-secret-token";

    public static ObjectRef SecretRef(string name) => new("", "v1", "secrets", "Secret", Namespace, name);

    public static ObjectRef NamespaceRef => new("", "v1", "namespaces", "Namespace", null, Namespace);

    /// <summary><c>istio-remote-secret-&lt;id&gt;</c>, the id lower-cased with anything but [a-z0-9.-] as '-' (a Secret name).</summary>
    public static string SecretName(string clusterId)
    {
        var chars = clusterId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray();
        var name = "istio-remote-secret-" + new string(chars).Trim('-', '.');
        return name.Length <= 253 ? name : name[..253];
    }

    /// <summary>The reader token Secret: the token controller fills <c>data.token</c> and <c>data.ca.crt</c> (Kubernetes ≥ 1.24 needs it).</summary>
    public static DesiredObject ReaderToken(string source) => new(SecretRef(ReaderTokenSecret), new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = ReaderTokenSecret,
            ["namespace"] = Namespace,
            ["annotations"] = new JsonObject { ["kubernetes.io/service-account.name"] = ReaderServiceAccount },
        },
        ["type"] = "kubernetes.io/service-account-token",
    }, source);

    /// <summary>The remote secret that lets this cluster's istiod read <paramref name="peer"/>.</summary>
    public static DesiredObject For(MeshPeer peer, string source)
    {
        var name = SecretName(peer.IstioClusterId);
        var kubeconfig = Kubeconfig(peer.IstioClusterId, peer.PeerServer, peer.CaData, peer.ReaderToken!);
        return new DesiredObject(SecretRef(name), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = Namespace,
                ["labels"] = new JsonObject { [MultiClusterLabel] = "true" },
                ["annotations"] = new JsonObject { [ClusterAnnotation] = peer.IstioClusterId },
            },
            ["type"] = "Opaque",
            ["data"] = new JsonObject { [peer.IstioClusterId] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) },
        }, source);
    }

    /// <summary>The kubeconfig istioctl puts in a remote secret (one cluster, context and user, all named by the cluster ID).</summary>
    public static string Kubeconfig(string clusterId, string server, string caDataBase64, string token) =>
        "apiVersion: v1\n" +
        "clusters:\n" +
        "- cluster:\n" +
        $"    certificate-authority-data: {caDataBase64}\n" +
        $"    server: {server}\n" +
        $"  name: {Quote(clusterId)}\n" +
        "contexts:\n" +
        "- context:\n" +
        $"    cluster: {Quote(clusterId)}\n" +
        $"    user: {Quote(clusterId)}\n" +
        $"  name: {Quote(clusterId)}\n" +
        $"current-context: {Quote(clusterId)}\n" +
        "kind: Config\n" +
        "preferences: {}\n" +
        "users:\n" +
        $"- name: {Quote(clusterId)}\n" +
        "  user:\n" +
        $"    token: {token}\n";

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>One primary as its peers see it: its Istio cluster ID, the API server they dial, its CA and its reader token (if minted).</summary>
public sealed record MeshPeer(int Id, string Name, string IstioClusterId, string PeerServer, string CaData, string? ReaderToken);
