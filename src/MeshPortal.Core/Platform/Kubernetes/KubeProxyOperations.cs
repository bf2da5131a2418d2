using k8s;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>GET through the API server's service proxy (<c>/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}</c>).</summary>
internal static class KubeProxyOperations
{
    public static async Task<string> GetServiceProxyAsync(IKubernetes k, string @namespace, string serviceAndPort, string path, CancellationToken ct)
    {
        using var response = await ClusterCallMapper.Run($"Reading {path} of service {@namespace}/{serviceAndPort}",
            () => k.CoreV1.ConnectGetNamespacedServiceProxyWithPathWithHttpMessagesAsync(serviceAndPort, @namespace, path, cancellationToken: ct), ct).ConfigureAwait(false);
        using var reader = new StreamReader(response.Body);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }
}
