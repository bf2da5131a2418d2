namespace MeshPortal.Core.Platform.Jobs;

/// <summary>
/// Every recurring job's ID, in one place: the IDs are stored by Hangfire (and shown on the Jobs page), so a rename
/// leaves the old job behind. Each feature registers its job with <see cref="RecurringJobs.AddRecurringJob{TJob}"/>.
/// </summary>
public static class JobIds
{
    public const string CheckAllClusters = "check-all-clusters";
    public const string SyncAllClusters = "sync-all-clusters";
    public const string ProbeAllClusters = "probe-all-clusters";
    public const string EvaluateAlerts = "alerts-evaluate";
    public const string AuditRetention = "audit-retention";
}
