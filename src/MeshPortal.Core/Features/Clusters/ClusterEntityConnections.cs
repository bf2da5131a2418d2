using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Secrets;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>A registered cluster's connection, through <see cref="ClusterConnections"/> (one failure behaviour for all).</summary>
public static class ClusterEntityConnections
{
    public static ClusterConnection ConnectionTo(this SecretProtector secrets, ClusterEntity cluster) =>
        ClusterConnections.Open(secrets, cluster.Id, cluster.Name, cluster.ProtectedKubeconfig, cluster.Context, cluster.CredentialVersion);
}
