namespace MeshPortal.Core.Features.Clusters;

/// <summary>The staged connection check (stage IDs in <see cref="CheckStageIds"/>). Never throws for cluster problems; each stage reports them.</summary>
public interface IClusterConnectionChecker
{
    /// <param name="kubeconfigText">A pasted or stored kubeconfig (validated again here).</param>
    /// <param name="context">The context to use; null = current-context or the only context.</param>
    Task<ConnectionCheckReport> CheckAsync(string kubeconfigText, string? context, CancellationToken ct);
}
