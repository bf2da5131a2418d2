namespace MeshPortal.Core.Platform.Jobs;

public static class JobIds
{
    public const string CheckAllClusters = "check-all-clusters";
    public const string SyncAllClusters = "sync-all-clusters";
}
