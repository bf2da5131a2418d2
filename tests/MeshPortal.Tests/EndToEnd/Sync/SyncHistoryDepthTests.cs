using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.EndToEnd.Sync;

/// <summary>A cluster keeps its newest runs only, and pruning never loses when its objects were last confirmed.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class SyncHistoryDepthTests : IAsyncLifetime
{
    private ReconcilerHarness h = null!;

    public async Task InitializeAsync() => h = await ReconcilerHarness.StartAsync(clusters: 1, historyDepth: 3);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Only_the_newest_runs_are_kept_and_failed_runs_carry_the_last_confirmation_forward()
    {
        h.Source.Objects.Add(Desired.ConfigMap("mp-a"));
        await h.SyncAsync();
        await h.SyncAsync();
        var confirming = await h.SyncAsync();
        Assert.True(confirming.ComparisonSkipped);
        var reader = (SyncStatusReader)h.Services.GetService(typeof(SyncStatusReader))!;
        var id = h.ClusterIds["cluster-1"];
        var confirmedAt = (await reader.LatestRunsAsync(id, 1, CancellationToken.None))[0].ConfirmedAt;
        Assert.NotNull(confirmedAt);

        h.Source.FailToLoad = true;
        var failed = new List<long?>();
        for (var i = 0; i < 4; i++)
        {
            failed.Add((await h.SyncAsync()).RunId);
        }

        var runs = await reader.LatestRunsAsync(id, 10, CancellationToken.None);
        Assert.Equal(failed.Skip(1).Reverse(), runs.Select(r => (long?)r.Id)); // the confirming run itself is pruned
        Assert.All(runs, r => Assert.Equal(confirmedAt, r.ConfirmedAt));
        var shown = Assert.Single(await reader.ManagedObjectsAsync(id, CancellationToken.None));
        Assert.Equal((ObjectSyncState.Synced, confirmedAt), (shown.State, shown.LastSyncedAt));
    }
}
