using System.Text.Json.Nodes;
using k8s.Models;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>
/// The one narrow way the portal talks to clusters. Every call uses the cluster's cached client
/// (<see cref="IClusterClientFactory"/>) and fails only with <see cref="ClusterCallException"/> (or
/// <see cref="OperationCanceledException"/> when the caller cancels). Later features add operations here
/// (server-side apply, prune, pod exec) rather than using KubernetesClient directly.
/// </summary>
public interface IClusterGateway
{
    /// <summary>GET /version: the API server's build (gitVersion, e.g. v1.18.6).</summary>
    Task<VersionInfo> GetVersionAsync(ClusterConnection cluster, CancellationToken ct);

    /// <summary>All namespaces of the cluster.</summary>
    Task<IReadOnlyList<V1Namespace>> ListNamespacesAsync(ClusterConnection cluster, CancellationToken ct);

    /// <summary>One deployment, or null when it (or its namespace) does not exist.</summary>
    Task<V1Deployment?> GetDeploymentAsync(ClusterConnection cluster, string @namespace, string name, CancellationToken ct);

    /// <summary>Deployments of one namespace, or of all namespaces when <paramref name="namespace"/> is null.</summary>
    Task<IReadOnlyList<V1Deployment>> ListDeploymentsAsync(ClusterConnection cluster, string? @namespace, CancellationToken ct);

    /// <summary>One service, or null when it does not exist.</summary>
    Task<V1Service?> GetServiceAsync(ClusterConnection cluster, string @namespace, string name, CancellationToken ct);

    /// <summary>Services of one namespace, or of all namespaces when <paramref name="namespace"/> is null (the export picker).</summary>
    Task<IReadOnlyList<V1Service>> ListServicesAsync(ClusterConnection cluster, string? @namespace, CancellationToken ct);

    /// <summary>One config map, or null when it does not exist.</summary>
    Task<V1ConfigMap?> GetConfigMapAsync(ClusterConnection cluster, string @namespace, string name, CancellationToken ct);

    /// <summary>Pods of one namespace matching a label selector (e.g. istio=ingressgateway).</summary>
    Task<IReadOnlyList<V1Pod>> ListPodsAsync(ClusterConnection cluster, string @namespace, string? labelSelector, CancellationToken ct);

    /// <summary>
    /// Server-side apply of one object (PATCH, <c>application/apply-patch+yaml</c>, <c>fieldManager=meshportal</c>,
    /// <c>force=true</c>); returns the object as stored. Secrets go this way too (never client-side apply).
    /// </summary>
    Task<JsonObject> ApplyAsync(ClusterConnection cluster, DesiredObject desired, CancellationToken ct);

    /// <summary>One object of any supported resource, or null when it (or its namespace) does not exist.</summary>
    Task<JsonObject?> GetObjectAsync(ClusterConnection cluster, ObjectRef reference, CancellationToken ct);

    /// <summary>Objects of one resource in all namespaces that carry <c>app.kubernetes.io/managed-by=meshportal</c>; empty when the resource is not served.</summary>
    Task<IReadOnlyList<JsonObject>> ListManagedAsync(ClusterConnection cluster, string group, string version, string plural, CancellationToken ct);

    /// <summary>Deletes one object; false when it did not exist.</summary>
    Task<bool> DeleteAsync(ClusterConnection cluster, ObjectRef reference, CancellationToken ct);

    /// <summary>GET of a path through the API server's service proxy (e.g. istiod's <c>/debug/clusterz</c> on 15014); the body as text.</summary>
    Task<string> GetServiceProxyAsync(ClusterConnection cluster, string @namespace, string serviceAndPort, string path, CancellationToken ct);

    /// <summary>The API groups the cluster serves with their versions, preferred first ("" = core, v1).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGroupVersionsAsync(ClusterConnection cluster, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="command"/> (argv, no shell unless you pass <c>sh -c</c>) in one container of a pod through pods/exec and
    /// returns its exit code and output. Fails with <see cref="ClusterCallException"/> (NotFound when the pod is gone, Timeout after
    /// <paramref name="timeout"/>).
    /// </summary>
    Task<ExecResult> ExecAsync(ClusterConnection cluster, string @namespace, string pod, string container, string[] command, TimeSpan timeout, CancellationToken ct);
}
