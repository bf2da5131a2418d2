using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>"Sync now" as one Core command: who may, what it audits, and that a refused or unknown request changes nothing.</summary>
[Trait("Speed", "Fast")]
public sealed class RequestSyncCommandTests : IAsyncLifetime
{
    private CommandHarness h = null!;

    public async Task InitializeAsync() => h = await CommandHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_team_member_queues_the_push_and_the_request_is_audited_under_their_name()
    {
        var id = await h.AddClusterAsync("cluster-2");

        var result = await h.Get<RequestSyncCommand>().RunAsync(CommandHarness.Member("tom"), "cluster-2", CancellationToken.None);

        Assert.Equal(CommandStatus.Done, result.Status);
        Assert.Equal(new SyncRequested("cluster-2", "manual (tom)"), result.Value);
        var push = Assert.Single(h.Pushes.Requests);
        Assert.Equal([id], push.Clusters);
        Assert.Equal("manual (tom)", push.Trigger);
        var entry = Assert.Single(await h.AuditAsync());
        Assert.Equal(("tom", RequestSyncCommand.Action, "cluster-2", "Manual sync of cluster-2 queued"), (entry.Actor, entry.Action, entry.Target, entry.Summary));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("read-only admin token")]
    public async Task A_caller_who_may_not_operate_is_refused_and_nothing_is_queued_or_audited(string who)
    {
        await h.AddClusterAsync("cluster-2");
        var actor = who == "viewer" ? CommandHarness.Viewer() : CommandHarness.Admin(readOnly: true);

        var result = await h.Get<RequestSyncCommand>().RunAsync(actor, "cluster-2", CancellationToken.None);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        Assert.Empty(h.Pushes.Requests);
        Assert.Empty(await h.AuditAsync());
    }

    [Fact]
    public async Task An_unknown_cluster_is_not_found_and_nothing_is_queued_or_audited()
    {
        var result = await h.Get<RequestSyncCommand>().RunAsync(CommandHarness.Admin(), "nope", CancellationToken.None);

        Assert.Equal(CommandStatus.NotFound, result.Status);
        Assert.Contains("'nope'", result.Error);
        Assert.Empty(h.Pushes.Requests);
        Assert.Empty(await h.AuditAsync());
    }
}
