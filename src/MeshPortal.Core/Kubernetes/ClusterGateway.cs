using k8s.Models;

namespace MeshPortal.Core.Kubernetes;

public sealed class ClusterGateway(IClusterClientFactory clients) : IClusterGateway
{
    public Task<VersionInfo> GetVersionAsync(ClusterConnection cluster, CancellationToken ct) =>
        KubeOperations.GetVersionAsync(clients.GetClient(cluster), ct);

    public Task<IReadOnlyList<V1Namespace>> ListNamespacesAsync(ClusterConnection cluster, CancellationToken ct) =>
        KubeOperations.ListNamespacesAsync(clients.GetClient(cluster), ct);

    public Task<V1Deployment?> GetDeploymentAsync(ClusterConnection cluster, string @namespace, string name, CancellationToken ct) =>
        KubeOperations.GetDeploymentAsync(clients.GetClient(cluster), @namespace, name, ct);

    public Task<IReadOnlyList<V1Deployment>> ListDeploymentsAsync(ClusterConnection cluster, string? @namespace, CancellationToken ct) =>
        KubeOperations.ListDeploymentsAsync(clients.GetClient(cluster), @namespace, ct);

    public Task<V1Service?> GetServiceAsync(ClusterConnection cluster, string @namespace, string name, CancellationToken ct) =>
        KubeOperations.GetServiceAsync(clients.GetClient(cluster), @namespace, name, ct);

    public Task<IReadOnlyList<V1Service>> ListServicesAsync(ClusterConnection cluster, string? @namespace, CancellationToken ct) =>
        KubeOperations.ListServicesAsync(clients.GetClient(cluster), @namespace, ct);

    public Task<V1ConfigMap?> GetConfigMapAsync(ClusterConnection cluster, string @namespace, string name, CancellationToken ct) =>
        KubeOperations.GetConfigMapAsync(clients.GetClient(cluster), @namespace, name, ct);

    public Task<IReadOnlyList<V1Pod>> ListPodsAsync(ClusterConnection cluster, string @namespace, string? labelSelector, CancellationToken ct) =>
        KubeOperations.ListPodsAsync(clients.GetClient(cluster), @namespace, labelSelector, ct);
}
