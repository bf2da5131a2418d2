namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>
/// How to reach one registered cluster. <see cref="Kubeconfig"/> is the stored single-context kubeconfig (secret: never log it,
/// never put it in a message). <see cref="CredentialVersion"/> changes whenever the kubeconfig does, so cached clients are rebuilt.
/// </summary>
public sealed record ClusterConnection(int Id, string Name, string Kubeconfig, string Context, int CredentialVersion)
{
    /// <summary>Leaves the kubeconfig out, so that logging the record cannot leak credentials.</summary>
    public override string ToString() => $"ClusterConnection {{ Id = {Id}, Name = {Name}, Context = {Context}, CredentialVersion = {CredentialVersion} }}";
}
