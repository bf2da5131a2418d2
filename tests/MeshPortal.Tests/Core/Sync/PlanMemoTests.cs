using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.Core.Sync;

/// <summary>A memo carries what a push needs of a plan it did not make; a run's confirmation reaches every Synced row it read.</summary>
[Trait("Speed", "Fast")]
public sealed class PlanMemoTests
{
    private static readonly ObjectRef Corefile = new("", "v1", "configmaps", "ConfigMap", "kube-system", "coredns");

    private static PlanContribution Contribution(string address = "240.0.0.2") => new(
        [Desired.ServiceEntry("httpbin.bar.global", address), Desired.ServiceEntry("other.bar.global", "240.0.0.9"), Desired.Namespace(),
         new DesiredObject(Corefile, new JsonObject { ["data"] = new JsonObject() }, "exports", ApplyMode.Merge)],
        ["a note"]);

    [Fact]
    public void A_memo_hashes_like_the_plan_and_names_its_owned_types_once_and_its_unowned_objects()
    {
        var memo = PlanMemo.Of("key", Contribution());
        Assert.Equal(SyncDigest.OfPlan(Contribution().Objects, ["a note"]), memo.Hash);
        Assert.Equal(["a note"], memo.Notes);
        var type = Assert.Single(memo.OwnedTypes);
        Assert.Equal(("serviceentries", null, ""), (type.Plural, type.Namespace, type.Name));
        Assert.Equal([Desired.GlobalNamespace, Corefile], memo.Unowned);
        Assert.NotEqual(memo.Hash, PlanMemo.Of("key", Contribution("240.0.0.3")).Hash);
    }

    [Fact]
    public void Memos_survive_the_database_and_unreadable_ones_are_none()
    {
        var memos = new Dictionary<string, PlanMemo> { ["exports"] = PlanMemo.Of("key", Contribution()) };
        var read = PlanMemo.Read(PlanMemo.Write(memos))["exports"];
        Assert.Equal((memos["exports"].Key, memos["exports"].Hash), (read.Key, read.Hash));
        Assert.Equal(memos["exports"].OwnedTypes, read.OwnedTypes);
        Assert.Equal(memos["exports"].Unowned, read.Unowned);
        Assert.Empty(PlanMemo.Read("{not json"));
        Assert.Empty(PlanMemo.Read(null));
    }

    [Fact]
    public void A_plan_key_moves_with_the_planner_its_input_key_and_every_read()
    {
        var reads = new Dictionary<ObjectRef, JsonObject?> { [Corefile] = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "3" } } };
        var key = SyncDigest.PlanKey("exports", "k", reads);
        Assert.Equal(key, SyncDigest.PlanKey("exports", "k", reads));
        Assert.NotEqual(key, SyncDigest.PlanKey("trust", "k", reads));
        Assert.NotEqual(key, SyncDigest.PlanKey("exports", "k2", reads));
        Assert.NotEqual(key, SyncDigest.PlanKey("exports", "k", new Dictionary<ObjectRef, JsonObject?> { [Corefile] = null }));
        Assert.NotEqual(key, SyncDigest.PlanKey("exports", "k",
            new Dictionary<ObjectRef, JsonObject?> { [Corefile] = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = "4" } } }));
    }

    [Fact]
    public void A_confirmation_moves_only_synced_rows_of_its_cluster_and_never_back()
    {
        var t0 = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        ManagedObjectEntity Row(int cluster, ObjectSyncState state, DateTimeOffset? at) =>
            new() { ClusterId = cluster, ApiVersion = "v1", Kind = "ConfigMap", Name = "x", Source = "s", DesiredHash = "", State = state, LastSyncedAt = at, LastAttemptAt = at };
        var synced = Row(1, ObjectSyncState.Synced, t0);
        var newer = Row(1, ObjectSyncState.Synced, t0.AddHours(2));
        var failed = Row(1, ObjectSyncState.Failed, t0);
        var never = Row(1, ObjectSyncState.Synced, null);
        var other = Row(2, ObjectSyncState.Synced, t0);

        SyncConfirmations.Apply([synced, newer, failed, never, other], new Dictionary<int, DateTimeOffset> { [1] = t0.AddHours(1) });

        Assert.Equal((t0.AddHours(1), t0.AddHours(1)), (synced.LastSyncedAt, synced.LastAttemptAt));
        Assert.Equal(t0.AddHours(2), newer.LastSyncedAt);
        Assert.Equal(t0, failed.LastSyncedAt);
        Assert.Equal(t0.AddHours(1), never.LastSyncedAt);
        Assert.Equal(t0, other.LastSyncedAt);
    }
}
