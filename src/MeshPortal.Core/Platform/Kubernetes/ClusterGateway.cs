using System.Text.Json.Nodes;
using k8s.Models;

namespace MeshPortal.Core.Platform.Kubernetes;

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

    public Task<JsonObject> ApplyAsync(ClusterConnection cluster, DesiredObject desired, CancellationToken ct) =>
        KubeObjectOperations.ApplyAsync(clients.GetClient(cluster), desired, ct);

    public Task<JsonObject?> GetObjectAsync(ClusterConnection cluster, ObjectRef reference, CancellationToken ct) =>
        KubeObjectOperations.GetAsync(clients.GetClient(cluster), reference, ct);

    public Task<IReadOnlyList<JsonObject>> ListManagedAsync(ClusterConnection cluster, string group, string version, string plural, CancellationToken ct) =>
        KubeObjectOperations.ListManagedAsync(clients.GetClient(cluster), group, version, plural, ct);

    public Task<bool> DeleteAsync(ClusterConnection cluster, ObjectRef reference, CancellationToken ct) =>
        KubeObjectOperations.DeleteAsync(clients.GetClient(cluster), reference, ct);

    public Task<string> GetServiceProxyAsync(ClusterConnection cluster, string @namespace, string serviceAndPort, string path, CancellationToken ct) =>
        KubeProxyOperations.GetServiceProxyAsync(clients.GetClient(cluster), @namespace, serviceAndPort, path, ct);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGroupVersionsAsync(ClusterConnection cluster, CancellationToken ct) =>
        KubeObjectOperations.GetGroupVersionsAsync(clients.GetClient(cluster), ct);

    public Task<ExecResult> ExecAsync(ClusterConnection cluster, string @namespace, string pod, string container, string[] command, TimeSpan timeout, CancellationToken ct) =>
        KubeExecOperations.ExecAsync(clients.GetClient(cluster), @namespace, pod, container, command, timeout, ct);
}
