using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>A kubeconfig reduced to one context for storage, or the reasons it was refused (nothing else is set then).</summary>
public sealed record KubeconfigExtraction(string? Kubeconfig, string? Context, string? Server, IReadOnlyList<string> Errors, IReadOnlyList<KubeconfigError> Details)
{
    /// <summary>The form field the errors belong to: "context" when only the context choice is wrong, else "kubeconfig".</summary>
    public string Field => Details.Count > 0 && Details.All(d => d.Code is KubeconfigErrorCodes.ContextNotFound or KubeconfigErrorCodes.ContextRequired)
        ? "context"
        : "kubeconfig";
}

/// <summary><see cref="KubeconfigParser"/> with the policy from <see cref="ClusterAccessOptions"/> (for forms and the API).</summary>
public sealed class KubeconfigValidator(IOptionsMonitor<ClusterAccessOptions> options)
{
    public KubeconfigPolicy Policy => options.CurrentValue.ToPolicy();

    /// <summary>The contexts of a pasted kubeconfig, for the context picker. Errors that depend on the choice of context are left out unless it is the only one.</summary>
    public KubeconfigInspection Inspect(string? kubeconfig)
    {
        var result = KubeconfigParser.Parse(kubeconfig, Policy);
        var errors = result.Errors.Where(e => e.Code != KubeconfigErrorCodes.ContextRequired).Select(e => e.Message).ToList();
        return new KubeconfigInspection(result.Summary?.Contexts.Select(c => c.Name).ToList() ?? [], result.Summary?.CurrentContext, errors);
    }

    public KubeconfigParseResult Parse(string? kubeconfig, string? context) => KubeconfigParser.Parse(kubeconfig, Policy, context);

    /// <summary>Validates and reduces the kubeconfig to the chosen context (or its current/only context).</summary>
    public KubeconfigExtraction Extract(string? kubeconfig, string? context)
    {
        var policy = Policy;
        var result = KubeconfigParser.Parse(kubeconfig, policy, context);
        if (!result.IsValid)
            return new(null, null, null, result.Errors.Select(e => e.Message).ToList(), result.Errors);
        var selected = result.Selected!;
        var minimal = KubeconfigParser.ExtractContext(kubeconfig!, selected.Name, policy);
        return new(minimal, selected.Name, selected.Server, [], []);
    }
}
