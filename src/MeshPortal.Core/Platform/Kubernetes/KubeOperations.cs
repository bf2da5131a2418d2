using k8s;
using k8s.Models;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>The operations behind <see cref="IClusterGateway"/>, on a given client (also used by the connection check).</summary>
internal static class KubeOperations
{
    public static Task<VersionInfo> GetVersionAsync(IKubernetes k, CancellationToken ct) =>
        ClusterCallMapper.Run("Reading /version", () => k.Version.GetCodeAsync(ct), ct);

    public static Task<V1APIVersions> GetApiVersionsAsync(IKubernetes k, CancellationToken ct) =>
        ClusterCallMapper.Run("Reading /api", () => k.Core.GetAPIVersionsAsync(ct), ct);

    public static async Task<IReadOnlyList<V1Namespace>> ListNamespacesAsync(IKubernetes k, CancellationToken ct) =>
        (await ClusterCallMapper.Run("Listing namespaces", () => k.CoreV1.ListNamespaceAsync(cancellationToken: ct), ct)).Items.ToList();

    public static Task<V1Deployment?> GetDeploymentAsync(IKubernetes k, string ns, string name, CancellationToken ct) =>
        OrNull($"Reading deployment {ns}/{name}", () => k.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct), ct);

    public static async Task<IReadOnlyList<V1Deployment>> ListDeploymentsAsync(IKubernetes k, string? ns, CancellationToken ct) =>
        (await ClusterCallMapper.Run($"Listing deployments{In(ns)}", () => ns is null
            ? k.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct)
            : k.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct), ct)).Items.ToList();

    public static Task<V1Service?> GetServiceAsync(IKubernetes k, string ns, string name, CancellationToken ct) =>
        OrNull($"Reading service {ns}/{name}", () => k.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct), ct);

    public static async Task<IReadOnlyList<V1Service>> ListServicesAsync(IKubernetes k, string? ns, CancellationToken ct) =>
        (await ClusterCallMapper.Run($"Listing services{In(ns)}", () => ns is null
            ? k.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct)
            : k.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct), ct)).Items.ToList();

    public static Task<V1ConfigMap?> GetConfigMapAsync(IKubernetes k, string ns, string name, CancellationToken ct) =>
        OrNull($"Reading config map {ns}/{name}", () => k.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct), ct);

    public static async Task<IReadOnlyList<V1Pod>> ListPodsAsync(IKubernetes k, string ns, string? labelSelector, CancellationToken ct) =>
        (await ClusterCallMapper.Run($"Listing pods{In(ns)}", () => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: ct), ct)).Items.ToList();

    private static string In(string? ns) => ns is null ? " in all namespaces" : $" in {ns}";

    private static async Task<T?> OrNull<T>(string what, Func<Task<T>> call, CancellationToken ct) where T : class
    {
        try
        {
            return await ClusterCallMapper.Run(what, call, ct).ConfigureAwait(false);
        }
        catch (ClusterCallException ex) when (ex.Kind == ClusterCallErrorKind.NotFound)
        {
            return null;
        }
    }
}
