using System.Security.Cryptography;
using MeshPortal.Core.Platform.Secrets;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>
/// The one way to turn a stored cluster's credentials into a <see cref="ClusterConnection"/>. A kubeconfig that cannot be
/// decrypted (the data protection keys changed) fails the same way for every caller (push, probes, trust, exports,
/// multi-primary): a <see cref="ClusterCallException"/> of kind <see cref="ClusterCallErrorKind.BadConfiguration"/> that
/// says what to do, which the callers already report like any other failed call to the cluster.
/// </summary>
public static class ClusterConnections
{
    public static ClusterConnection Open(SecretProtector secrets, int clusterId, string clusterName, string protectedKubeconfig,
        string context, int credentialVersion)
    {
        string kubeconfig;
        try
        {
            kubeconfig = secrets.UnprotectKubeconfig(protectedKubeconfig);
        }
        catch (CryptographicException)
        {
            throw new ClusterCallException(ClusterCallErrorKind.BadConfiguration,
                $"The stored kubeconfig of cluster {clusterName} cannot be decrypted (the data protection keys changed); edit the "
                + "cluster and paste its kubeconfig again.");
        }

        return new ClusterConnection(clusterId, clusterName, kubeconfig, context, credentialVersion);
    }
}
