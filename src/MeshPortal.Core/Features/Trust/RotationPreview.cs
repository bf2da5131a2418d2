using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Core.Features.Trust;

/// <summary>What the next rotation step does to one cluster's <c>istio-system/cacerts</c>, file by file.</summary>
public sealed record ClusterRotationChange(string Cluster, string RootCert, string CaCert, string CertChain, bool Written, string Summary);

/// <summary>The rotation's current phase, the step that comes next ("start", "switch", "finish" or none) and its per-cluster effect.</summary>
public sealed record RotationPlan(RotationPhase Phase, string? NextStep, string? Blocked, IReadOnlyList<ClusterRotationChange> Changes);

/// <summary>Pure: the preview shown (UI and API) before an admin applies a root rotation step.</summary>
public static class RotationPreview
{
    public const string Start = "start";
    public const string Switch = "switch";
    public const string Finish = "finish";

    public static readonly IReadOnlyList<string> Steps = [Start, Switch, Finish];

    /// <summary>The step an admin may apply in <paramref name="phase"/>.</summary>
    public static string StepFor(RotationPhase phase) => phase switch
    {
        RotationPhase.NextRootDistributed => Switch,
        RotationPhase.IntermediatesSwitched => Finish,
        _ => Start,
    };

    public static RotationPlan For(TrustStatus status)
    {
        if (status.Root is null)
        {
            return new RotationPlan(status.Rotation, null, "There is no mesh root to rotate yet.", []);
        }

        if (status.Root.Mode == RootMode.External)
        {
            return new RotationPlan(status.Rotation, null, "An external root is rotated by the company CA: create the new root there, then import it.", []);
        }

        var step = StepFor(status.Rotation);
        var root = status.Root;
        var changes = status.Clusters.Select(c => Change(step, c, root)).ToList();
        return new RotationPlan(status.Rotation, step, null, changes);
    }

    private static ClusterRotationChange Change(string step, ClusterTrustView cluster, TrustRootView root)
    {
        var written = cluster.Decision != CacertsDecision.Adopt;
        var oldRoot = $"\"{root.Subject}\" ({CaCertificates.FormatFingerprint(root.FingerprintSha256)[..11]}…)";
        var (rootCert, caCert, chain, summary) = step switch
        {
            Start => ($"adds the next root beside {oldRoot}", "unchanged", "unchanged",
                $"{cluster.Cluster}: root-cert.pem gains a new root beside \"{root.Subject}\"; ca-cert.pem unchanged."),
            Switch => ("unchanged (both roots)", "new key; re-issued by the next root", "intermediate + next root",
                $"{cluster.Cluster}: new intermediate key and ca-cert.pem signed by the next root; cert-chain.pem ends with the next root; root-cert.pem keeps both roots."),
            _ => ($"drops the old root {oldRoot}", "unchanged", "unchanged",
                $"{cluster.Cluster}: root-cert.pem drops the old root {oldRoot}."),
        };
        return written
            ? new ClusterRotationChange(cluster.Cluster, rootCert, caCert, chain, true, summary)
            : new ClusterRotationChange(cluster.Cluster, "unchanged", "unchanged", "unchanged", false,
                $"{cluster.Cluster}: its own cacerts was adopted, so MeshPortal changes nothing there; rotate that CA by hand.");
    }
}
