using System.Text.RegularExpressions;

namespace MeshPortal.Core.Features.MeshModel;

/// <summary>What MeshPortal needs from the Kubernetes API itself. Pure.</summary>
public static partial class KubernetesRules
{
    /// <summary>
    /// Server-side apply (the only way MeshPortal writes) is beta and on by default from Kubernetes 1.16 (KEP-555,
    /// CHANGELOG-1.16 "Server-side apply is promoted to Beta"; 1.14–1.15 had it as an alpha behind the
    /// <c>ServerSideApply</c> feature gate, off by default) and GA in 1.22. Before 1.16 an apply patch is refused with 415.
    /// </summary>
    public static readonly Version ServerSideApplySince = new(1, 16);

    public static ModelVerdict ServerSideApply(string? gitVersion)
    {
        if (!TryParse(gitVersion, out var version))
        {
            return ModelVerdict.Yes($"Kubernetes version '{gitVersion}' could not be read; assuming server-side apply is served.");
        }

        return version >= ServerSideApplySince
            ? ModelVerdict.Yes($"Kubernetes {gitVersion} serves server-side apply.")
            : ModelVerdict.No(
                $"Kubernetes {gitVersion} has no server-side apply (beta and on by default from 1.16, GA in 1.22; KEP-555), " +
                "which is how MeshPortal writes every object: nothing will be pushed to this cluster.",
                "Upgrade the cluster to Kubernetes 1.16 or later (every release before 1.16 is long out of support), then check again.");
    }

    public static bool TryParse(string? gitVersion, out Version version)
    {
        version = new Version(0, 0);
        var match = gitVersion is null ? null : Pattern().Match(gitVersion.Trim());
        if (match is null || !match.Success)
        {
            return false;
        }

        version = new Version(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }

    [GeneratedRegex(@"^v?(\d{1,4})\.(\d{1,4})", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
