using k8s;
using k8s.KubeConfigModels;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>Builds a KubernetesClient from kubeconfig text in memory (never from files), after <see cref="KubeconfigParser"/> accepted it.</summary>
internal static class KubeClientBuilder
{
    public static IKubernetes Build(string kubeconfig, string? context, KubeconfigPolicy policy, TimeSpan requestTimeout)
    {
        string minimal;
        string contextName;
        try
        {
            var parsed = KubeconfigParser.Parse(kubeconfig, policy, context);
            if (!parsed.IsValid)
                throw new KubeconfigInvalidException(parsed.Errors);
            contextName = parsed.Selected!.Name;
            minimal = KubeconfigParser.ExtractContext(kubeconfig, contextName, policy);
        }
        catch (KubeconfigInvalidException ex)
        {
            throw new ClusterCallException(ClusterCallErrorKind.BadConfiguration,
                "The kubeconfig is refused: " + string.Join(" ", ex.Errors.Select(e => e.Message)));
        }

        try
        {
            var model = KubernetesYaml.Deserialize<K8SConfiguration>(minimal);
            var config = KubernetesClientConfiguration.BuildConfigFromConfigObject(model, contextName);
            config.HttpClientTimeout = requestTimeout;
            config.UserAgent = "MeshPortal";
            return new k8s.Kubernetes(config);
        }
        catch (Exception ex) when (ex is not ClusterCallException)
        {
            // The exception text can quote kubeconfig content; keep only its type.
            throw new ClusterCallException(ClusterCallErrorKind.BadConfiguration,
                $"The kubeconfig could not be turned into a client ({ex.GetType().Name}); check its certificate and key data.");
        }
    }
}
