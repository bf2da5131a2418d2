using k8s;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>
/// Owns the KubernetesClient instances: one long-lived client per (cluster id, credential version). Each client owns an
/// HttpClient and a connection pool, so they are cached, never created per call, and disposed when replaced.
/// </summary>
public interface IClusterClientFactory
{
    /// <summary>The cached client of this cluster; built (and the previous one disposed) when the credential version changed.</summary>
    /// <exception cref="ClusterCallException">Kind <see cref="ClusterCallErrorKind.BadConfiguration"/> when the kubeconfig is refused.</exception>
    IKubernetes GetClient(ClusterConnection connection);

    /// <summary>Forgets and disposes the client of a deleted cluster.</summary>
    void Evict(int clusterId);

    /// <summary>A client that is not cached (for checking a cluster before it is registered). The caller disposes it.</summary>
    IKubernetes CreateTransient(string kubeconfig, string? context);
}
