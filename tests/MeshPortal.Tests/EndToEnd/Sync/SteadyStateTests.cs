using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Locks;

namespace MeshPortal.Tests.EndToEnd.Sync;

/// <summary>The steady-state shortcuts (batch loading, verified objects, memoised stamps) never hide drift or a desired change.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class SteadyStateTests : IAsyncLifetime
{
    private ReconcilerHarness h = null!;

    public async Task InitializeAsync() => h = await ReconcilerHarness.StartAsync(clusters: 2);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_hand_edit_after_verified_no_op_runs_is_still_healed_by_the_batch()
    {
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2")]);
        Assert.All(await h.SyncAllAsync(), r => Assert.True(r.Succeeded, r.Error));
        Assert.All(await h.SyncAllAsync(), r => Assert.Equal(0, r.Writes));
        Assert.All(await h.SyncAllAsync(), r => Assert.Equal(0, r.Writes)); // verified: no field-by-field compare, still no writes

        var cluster = h.Mesh["cluster-2"];
        var edited = cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!;
        edited["spec"]!["addresses"] = new JsonArray("240.0.99.99"); // the hash annotation stays: only the resourceVersion tells
        cluster.Put(edited);

        var healed = (await h.SyncAllAsync()).ToDictionary(r => r.ClusterName!);
        Assert.Equal(1, healed["cluster-2"].Updated);
        Assert.Equal(0, healed["cluster-1"].Writes);
        Assert.Equal("240.0.0.2", (string?)cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!["spec"]!["addresses"]![0]);
    }

    [Fact]
    public async Task An_unchanged_cluster_skips_the_comparison_and_drift_still_shows_and_is_healed()
    {
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2"), Desired.ConfigMap("mp-a")]);
        var first = await h.SyncAsync("cluster-1");
        Assert.True(first.Succeeded && first.Created >= 2, first.Error);
        var compared = await h.SyncAsync("cluster-1");
        Assert.False(compared.ComparisonSkipped); // the first no-op run compares and stores the digest
        var skipped = await h.SyncAsync("cluster-1");
        Assert.True(skipped.ComparisonSkipped);
        Assert.Equal((0, compared.Unchanged), (skipped.Writes, skipped.Unchanged));
        await AssertConfirmedByLatestRunAsync("a skipped comparison still confirms every object");

        var cluster = h.Mesh["cluster-1"];
        var edited = cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!;
        edited["spec"]!["addresses"] = new JsonArray("240.0.99.99");
        cluster.Put(edited);
        var healed = await h.SyncAsync("cluster-1");
        Assert.False(healed.ComparisonSkipped);
        Assert.Equal(1, healed.Updated);
        Assert.Equal("240.0.0.2", (string?)cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!["spec"]!["addresses"]![0]);

        Assert.False((await h.SyncAsync("cluster-1")).ComparisonSkipped); // after writes: compare once more
        Assert.True((await h.SyncAsync("cluster-1")).ComparisonSkipped);
        cluster.Delete("", "configmaps", "default", "mp-a");
        var recreated = await h.SyncAsync("cluster-1");
        Assert.Equal((false, 1), (recreated.ComparisonSkipped, recreated.Created));
        Assert.NotNull(cluster.Get("", "configmaps", "default", "mp-a"));
    }

    [Fact]
    public async Task A_failed_run_is_never_followed_by_a_skipped_comparison()
    {
        h.Source.Objects.AddRange([Desired.ConfigMap("mp-a")]);
        await h.SyncAsync("cluster-1");
        await h.SyncAsync("cluster-1");
        Assert.True((await h.SyncAsync("cluster-1")).ComparisonSkipped);

        var confirmed = await AssertConfirmedByLatestRunAsync("the skipped comparison confirms");

        h.Source.FailToLoad = true;
        Assert.False((await h.SyncAsync("cluster-1")).Succeeded);
        var reader = (SyncStatusReader)h.Services.GetService(typeof(SyncStatusReader))!;
        Assert.All(await reader.ManagedObjectsAsync(h.ClusterIds["cluster-1"], CancellationToken.None),
            o => Assert.Equal(confirmed, o.LastSyncedAt)); // a run that compared nothing keeps the last confirmation, not loses it
        h.Source.FailToLoad = false;
        Assert.False((await h.SyncAsync("cluster-1")).ComparisonSkipped);
    }

    /// <summary>
    /// A no-op run confirms through its run row, not by updating every object row: what readers show is the run's finish,
    /// while the stored rows keep the time they were last written.
    /// </summary>
    private async Task<DateTimeOffset> AssertConfirmedByLatestRunAsync(string because)
    {
        var reader = (SyncStatusReader)h.Services.GetService(typeof(SyncStatusReader))!;
        var id = h.ClusterIds["cluster-1"];
        var run = (await reader.LatestRunsAsync(id, 1, CancellationToken.None))[0];
        Assert.Equal(run.FinishedAt, run.ConfirmedAt);
        var shown = await reader.ManagedObjectsAsync(id, CancellationToken.None);
        Assert.NotEmpty(shown);
        Assert.All(shown, o => Assert.Equal(run.FinishedAt, o.LastSyncedAt));
        Assert.All(shown, o => Assert.Equal(run.FinishedAt, o.LastAttemptAt));
        Assert.All(await h.RowsAsync(), r => Assert.True(r.LastSyncedAt < run.FinishedAt, because + ": the rows themselves are not written"));
        return run.FinishedAt;
    }

    [Fact]
    public async Task A_desired_change_between_batches_is_applied_everywhere()
    {
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2")]);
        Assert.All(await h.SyncAllAsync(), r => Assert.True(r.Succeeded, r.Error));
        Assert.All(await h.SyncAllAsync(), r => Assert.Equal(0, r.Writes));

        h.Source.Objects[1] = Desired.ServiceEntry("httpbin.bar.global", "240.0.0.3");
        Assert.All(await h.SyncAllAsync(), r => Assert.Equal(1, r.Updated));
        Assert.All(h.Mesh.Clusters, c => Assert.Equal("240.0.0.3",
            (string?)c.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!["spec"]!["addresses"]![0]));
    }

    [Fact]
    public async Task A_push_that_ran_after_the_batch_loaded_its_sources_makes_the_batch_reload_them()
    {
        var locks = (ClusterLocks)h.Services.GetService(typeof(ClusterLocks))!;
        var before = locks.Generation(h.ClusterIds["cluster-1"]);
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ConfigMap("mp-a")]);

        await h.SyncAsync("cluster-1");

        Assert.Equal(before + 1, locks.Generation(h.ClusterIds["cluster-1"]));
    }
}
