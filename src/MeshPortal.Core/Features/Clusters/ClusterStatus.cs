namespace MeshPortal.Core.Features.Clusters;

/// <summary>The connection status of a cluster as users see it. Ordered from best to worst.</summary>
public enum ClusterStatus
{
    Connected,
    Stale,
    Unknown,
    Degraded,
    Unreachable,
}

/// <summary>Pure mapping from a cluster's last check to its status.</summary>
public static class ClusterStatusCalculator
{
    /// <summary>A check older than this is shown as stale, never as green.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    private static readonly HashSet<string> ConnectionStages =
        [CheckStageIds.KubeconfigParse, CheckStageIds.ApiReachable, CheckStageIds.ApiTls, CheckStageIds.ApiAuth, CheckStageIds.KubernetesVersion];

    public static ClusterStatus From(ClusterEntity cluster, DateTimeOffset now) =>
        From(cluster.LastCheckedAt, cluster.LastCheckPassed, cluster.LastFailedStage, now);

    public static ClusterStatus From(DateTimeOffset? lastCheckedAt, bool? passed, string? failedStage, DateTimeOffset now)
    {
        if (lastCheckedAt is null || passed is null)
        {
            return ClusterStatus.Unknown;
        }

        if (passed == false)
        {
            return failedStage is not null && ConnectionStages.Contains(failedStage)
                ? ClusterStatus.Unreachable
                : ClusterStatus.Degraded;
        }

        return now - lastCheckedAt > StaleAfter ? ClusterStatus.Stale : ClusterStatus.Connected;
    }

    public static string Describe(ClusterStatus status) => status switch
    {
        ClusterStatus.Connected => "Connected: every check stage passed.",
        ClusterStatus.Stale => "The last successful check is old; the cluster may have changed since.",
        ClusterStatus.Unknown => "Not checked yet.",
        ClusterStatus.Degraded => "The API server answers, but the Istio setup is incomplete.",
        ClusterStatus.Unreachable => "The portal cannot talk to this cluster's API server.",
        _ => status.ToString(),
    };
}
