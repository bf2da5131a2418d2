using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.EndToEnd.Sync;

/// <summary>The reconciler end to end against simulated clusters over HTTPS (each test gets its own mesh and database).</summary>
[Trait("Speed", "EndToEnd")]
public sealed class ClusterReconcilerTests : IAsyncLifetime
{
    private ReconcilerHarness h = null!;

    public async Task InitializeAsync() => h = await ReconcilerHarness.StartAsync(clusters: 2);

    public async Task DisposeAsync() => await h.DisposeAsync();

    private static string? Label(JsonObject? o) => (string?)o?["metadata"]?["labels"]?[ManagedLabels.ManagedBy];

    [Fact]
    public async Task Creates_objects_then_a_second_run_writes_nothing()
    {
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ConfigMap("mp-settings"), Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2")]);
        h.Source.Notes.Add("foreign cacerts left alone");
        var cluster = h.Mesh["cluster-1"];

        var first = await h.SyncAsync();

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal((3, 0, 0, 0), (first.Created, first.Updated, first.Deleted, first.Failed));
        Assert.Contains("foreign cacerts left alone", first.Notes);
        var se = cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global");
        Assert.NotNull(se);
        Assert.Equal("meshportal", Label(se));
        Assert.Equal("export/1", (string?)se!["metadata"]!["annotations"]![ManagedLabels.Source]);
        Assert.False(string.IsNullOrEmpty((string?)se["metadata"]!["annotations"]![ManagedLabels.DesiredHash]));
        Assert.Equal("meshportal", Label(cluster.Get("", "configmaps", "default", "mp-settings")));
        Assert.Null(Label(cluster.Get("", "namespaces", null, "meshportal-global")));
        Assert.All(await h.RowsAsync(), r => Assert.Equal(ObjectSyncState.Synced, r.State));
        Assert.Equal(3, (await h.RowsAsync()).Count);

        var version = cluster.ResourceVersion;
        var second = await h.SyncAsync();

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(0, second.Writes);
        Assert.Equal(3, second.Unchanged);
        Assert.Equal(version, cluster.ResourceVersion);
        await using var db = await h.DbAsync();
        var runs = db.SyncRuns.Where(r => r.ClusterId == h.ClusterIds["cluster-1"]).OrderBy(r => r.Id).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Contains("\"action\":\"note\"", runs[0].ChangesJson);
        Assert.Contains("\"action\":\"create\"", runs[0].ChangesJson);
    }

    [Fact]
    public async Task A_hand_edit_or_a_hand_delete_is_healed_on_the_next_run()
    {
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2")]);
        var cluster = h.Mesh["cluster-1"];
        Assert.True((await h.SyncAsync()).Succeeded);

        var edited = cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!;
        edited["spec"]!["addresses"] = new JsonArray("240.0.0.99");
        cluster.Put(edited);
        var healed = await h.SyncAsync(trigger: "schedule");
        Assert.Equal(1, healed.Updated);
        Assert.Equal("240.0.0.2", (string?)cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global")!["spec"]!["addresses"]![0]);

        cluster.Delete("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global");
        var recreated = await h.SyncAsync(trigger: "schedule");
        Assert.Equal(1, recreated.Created);
        Assert.NotNull(cluster.Get("networking.istio.io", "serviceentries", "meshportal-global", "httpbin-bar-global"));
        Assert.Equal(0, (await h.SyncAsync()).Writes);
    }

    [Fact]
    public async Task An_object_no_longer_produced_is_pruned_but_unlabelled_objects_are_never_deleted()
    {
        h.Source.Objects.AddRange([Desired.ConfigMap("mp-one"), Desired.ConfigMap("mp-two")]);
        var cluster = h.Mesh["cluster-1"];
        cluster.Put("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"someone-elses","namespace":"default"},"data":{"x":"1"}}""");
        Assert.Equal(2, (await h.SyncAsync()).Created);

        h.Source.Objects.RemoveAll(o => o.Ref.Name == "mp-two");
        var pruned = await h.SyncAsync();

        Assert.True(pruned.Succeeded, pruned.Error);
        Assert.Equal(1, pruned.Deleted);
        Assert.Null(cluster.Get("", "configmaps", "default", "mp-two"));
        Assert.NotNull(cluster.Get("", "configmaps", "default", "mp-one"));
        Assert.NotNull(cluster.Get("", "configmaps", "default", "someone-elses"));
        Assert.NotNull(cluster.Get("", "configmaps", "kube-system", "coredns"));
        Assert.Equal(["mp-one"], (await h.RowsAsync()).Select(r => r.Name));

        h.Source.Objects.Clear();
        var empty = await h.SyncAsync();
        Assert.Equal(1, empty.Deleted);
        Assert.NotNull(cluster.Get("", "configmaps", "default", "someone-elses"));
        Assert.Empty(await h.RowsAsync());
    }

    [Fact]
    public async Task A_source_that_fails_to_load_aborts_the_run_without_pruning()
    {
        h.Source.Objects.Add(Desired.ConfigMap("mp-keep"));
        Assert.True((await h.SyncAsync()).Succeeded);
        var version = h.Mesh["cluster-1"].ResourceVersion;

        h.Source.FailToLoad = true;
        var failed = await h.SyncAsync();

        Assert.False(failed.Succeeded);
        Assert.Contains("'fake' failed to load", failed.Error);
        Assert.Equal(0, failed.Writes);
        Assert.Equal(version, h.Mesh["cluster-1"].ResourceVersion);
        Assert.NotNull(h.Mesh["cluster-1"].Get("", "configmaps", "default", "mp-keep"));
    }

    [Fact]
    public async Task A_merge_object_sets_only_its_fields_and_is_never_labelled_or_deleted()
    {
        var cluster = h.Mesh["cluster-1"];
        cluster.Put("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"shared","namespace":"default"},"data":{"a":"1","b":"2"}}""");
        var merge = new DesiredObject(new ObjectRef("", "v1", "configmaps", "ConfigMap", "default", "shared"),
            new JsonObject { ["metadata"] = new JsonObject(), ["data"] = new JsonObject { ["b"] = "3" } }, "dns", ApplyMode.Merge);
        h.Source.Objects.Add(merge);

        var first = await h.SyncAsync();
        Assert.Equal(1, first.Created + first.Updated);
        var shared = cluster.Get("", "configmaps", "default", "shared")!;
        Assert.Equal(("1", "3"), ((string?)shared["data"]!["a"], (string?)shared["data"]!["b"]));
        Assert.Null(Label(shared));

        var version = cluster.ResourceVersion;
        Assert.Equal(0, (await h.SyncAsync()).Writes);
        Assert.Equal(version, cluster.ResourceVersion);

        h.Source.Objects.Clear();
        Assert.Equal(0, (await h.SyncAsync()).Writes);
        Assert.NotNull(cluster.Get("", "configmaps", "default", "shared"));
    }

    [Fact]
    public async Task Secrets_are_server_side_applied_with_the_meshportal_manager_and_force()
    {
        var cluster = h.Mesh["cluster-1"];
        // Another manager owns the key field first: without force=true the apply would be a 409 conflict.
        cluster.Put("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"cacerts","namespace":"istio-system"},"type":"Opaque","data":{"ca-key.pem":"b2xk"}}""");
        h.Source.Objects.Add(Desired.Secret("cacerts"));

        var result = await h.SyncAsync();

        Assert.True(result.Succeeded, result.Error);
        var secret = cluster.Get("", "secrets", "istio-system", "cacerts")!;
        var managers = secret["metadata"]!["managedFields"]!.AsArray().Select(f => ((string?)f!["manager"], (string?)f["operation"])).ToList();
        Assert.Contains(("meshportal", "Apply"), managers);
        Assert.Null(secret["metadata"]!["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"]);
        Assert.Equal(Convert.ToBase64String("secret-key-material"u8.ToArray()), (string?)secret["data"]!["ca-key.pem"]);
        Assert.Equal(0, (await h.SyncAsync()).Writes);
    }

    [Fact]
    public async Task A_cluster_whose_api_is_down_fails_alone_and_converges_after_recovery()
    {
        h.Source.Objects.AddRange([Desired.Namespace(), Desired.ServiceEntry("httpbin.bar.global", "240.0.0.2")]);
        Assert.True((await h.SyncAsync("cluster-1")).Succeeded);
        h.Source.Objects.Add(Desired.ConfigMap("mp-later"));
        var down = h.Mesh["cluster-1"];
        down.Faults.ApiDown = true;
        try
        {
            var failed = await h.SyncAsync("cluster-1");
            var other = await h.SyncAsync("cluster-2");

            Assert.False(failed.Succeeded);
            Assert.True(failed.Retryable);
            Assert.False(string.IsNullOrWhiteSpace(failed.Error));
            Assert.All(await h.RowsAsync("cluster-1"), r =>
            {
                Assert.Equal(ObjectSyncState.Failed, r.State);
                Assert.Equal(failed.Error, r.Message);
            });
            Assert.True(other.Succeeded, other.Error);
            Assert.Equal(3, other.Created);
            Assert.All(await h.RowsAsync("cluster-2"), r => Assert.Equal(ObjectSyncState.Synced, r.State));
        }
        finally
        {
            down.Faults.Reset();
        }

        var recovered = await h.SyncAsync("cluster-1");
        Assert.True(recovered.Succeeded, recovered.Error);
        Assert.Equal(1, recovered.Created);
        Assert.All(await h.RowsAsync("cluster-1"), r => Assert.Equal(ObjectSyncState.Synced, r.State));
        Assert.NotNull(down.Get("", "configmaps", "default", "mp-later"));
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Server_errors_and_throttling_fail_the_run_with_the_reason(int status)
    {
        h.Source.Objects.Add(Desired.ConfigMap("mp-x"));
        var cluster = h.Mesh["cluster-1"];
        if (status == 429)
        {
            cluster.Faults.TooManyRequests = true;
        }
        else
        {
            cluster.Faults.ApiErrorStatus = status;
        }

        try
        {
            var result = await h.SyncAsync();
            Assert.False(result.Succeeded);
            Assert.True(result.Retryable);
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error);
        }
        finally
        {
            cluster.Faults.Reset();
        }

        Assert.True((await h.SyncAsync()).Succeeded);
    }

    [Fact]
    public async Task An_invalid_object_fails_alone_with_the_servers_reason()
    {
        var bad = Desired.ServiceEntry("httpbin.bar.global", "not-an-ip");
        h.Source.Objects.AddRange([Desired.Namespace(), bad, Desired.ConfigMap("mp-fine")]);

        var result = await h.SyncAsync();

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.Equal(1, result.Failed);
        var rows = await h.RowsAsync();
        var failedRow = Assert.Single(rows, r => r.Kind == "ServiceEntry");
        Assert.Equal(ObjectSyncState.Failed, failedRow.State);
        Assert.False(string.IsNullOrWhiteSpace(failedRow.Message));
        Assert.Equal(ObjectSyncState.Synced, Assert.Single(rows, r => r.Name == "mp-fine").State);
    }
}
