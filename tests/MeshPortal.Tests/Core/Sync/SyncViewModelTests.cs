using MeshPortal.Core.Features.Sync;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Core.Sync;

[Trait("Speed", "Fast")]
public sealed class SyncViewModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static ManagedObjectEntity Row(ObjectSyncState state, TimeSpan? syncedAgo, string? message = null) => new()
    {
        ApiVersion = "networking.istio.io/v1alpha3", Kind = "ServiceEntry", Namespace = "meshportal-global", Name = "httpbin-bar-global",
        Source = "export/1", DesiredHash = "h", State = state, Message = message, LastAttemptAt = Now, LastSyncedAt = Now - syncedAgo,
    };

    [Fact]
    public void Recently_synced_is_green_and_an_old_confirmation_is_stale_not_green()
    {
        var fresh = ManagedObjectRow.From(ManagedObjectView.From(Row(ObjectSyncState.Synced, TimeSpan.FromMinutes(2))), Now);
        Assert.Equal(SyncChipState.Synced, fresh.State);
        Assert.Null(fresh.Message);
        Assert.Equal("meshportal-global/httpbin-bar-global", fresh.Name);

        var old = ManagedObjectRow.From(ManagedObjectView.From(Row(ObjectSyncState.Synced, TimeSpan.FromHours(2))), Now);
        Assert.Equal(SyncChipState.Stale, old.State);
        Assert.Contains("2 h ago", old.Message);
        Assert.NotEqual(MudBlazor.Color.Success, ManagedObjectRow.ColorOf(old.State));
    }

    [Fact]
    public void Failed_shows_the_reason_and_pending_never_synced_says_never()
    {
        var failed = ManagedObjectRow.From(ManagedObjectView.From(Row(ObjectSyncState.Failed, TimeSpan.FromHours(1), "API server unreachable")), Now);
        Assert.Equal((SyncChipState.Failed, "API server unreachable"), (failed.State, failed.Message));
        Assert.Equal(MudBlazor.Color.Error, ManagedObjectRow.ColorOf(failed.State));

        var pending = ManagedObjectRow.From(ManagedObjectView.From(Row(ObjectSyncState.Pending, null)), Now);
        Assert.Equal((SyncChipState.Pending, "never"), (pending.State, pending.LastSynced));
    }

    [Fact]
    public void Run_rows_count_changes_and_split_notes_from_changes()
    {
        var run = new SyncRunEntity
        {
            Trigger = "schedule", StartedAt = Now.AddSeconds(-2), FinishedAt = Now.AddSeconds(-1), Succeeded = true, Created = 2, Unchanged = 5,
            ChangesJson = """[{"action":"note","message":"foreign cacerts left alone"},{"action":"create","kind":"ServiceEntry","namespace":"g","name":"a","message":"missing"}]""",
        };
        var row = SyncRunRow.From(SyncRunView.From(run), Now);
        Assert.Equal("2 created · 5 unchanged", row.Counts);
        Assert.Equal(["foreign cacerts left alone"], row.Notes);
        Assert.Equal(["create ServiceEntry g/a: missing"], row.Changes);
        Assert.Equal("1.0 s", row.Duration);
        Assert.Equal("nothing to do", SyncRunRow.CountsOf(SyncRunView.From(new SyncRunEntity { Trigger = "t", ChangesJson = "[]" })));
    }
}
