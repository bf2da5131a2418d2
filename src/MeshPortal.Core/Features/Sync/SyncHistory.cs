namespace MeshPortal.Core.Features.Sync;

/// <summary>A cluster's managed objects and latest sync runs as read models (cluster page and the sync API).</summary>
public sealed class SyncHistory(SyncStatusReader reader)
{
    public async Task<List<ManagedObjectView>> ObjectsAsync(int clusterId, CancellationToken ct) =>
        [.. (await reader.ManagedObjectsAsync(clusterId, ct)).Select(ManagedObjectView.From)];

    public async Task<List<SyncRunView>> RunsAsync(int clusterId, int take, CancellationToken ct) =>
        [.. (await reader.LatestRunsAsync(clusterId, take, ct)).Select(SyncRunView.From)];
}
