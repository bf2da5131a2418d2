using System.Text.Json.Nodes;
using MeshPortal.Core.Reconciliation;

namespace MeshPortal.Tests.Reconciliation;

/// <summary>The steady-state shortcuts (batch loading, verified objects, memoised stamps) never hide drift or a desired change.</summary>
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
