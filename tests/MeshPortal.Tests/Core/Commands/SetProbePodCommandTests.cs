using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>Changing a cluster's probe pod: admins only, validated, saved in one unit of work with its audit record.</summary>
[Trait("Speed", "Fast")]
public sealed class SetProbePodCommandTests : IAsyncLifetime
{
    private CommandHarness h = null!;

    public async Task InitializeAsync() => h = await CommandHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task The_choice_and_its_audit_record_are_saved_together_and_own_pod_asks_for_a_push()
    {
        var id = await h.AddClusterAsync("cluster-1");

        var result = await h.Get<SetProbePodCommand>().RunAsync(CommandHarness.Admin(), "cluster-1", new ProbePodRequest(null, null, OwnPod: true), CancellationToken.None);

        Assert.Equal(CommandStatus.Done, result.Status);
        Assert.True(result.Value!.OwnPod);
        Assert.True(h.Saves.OneSaveWrote("ClusterEntity", "AuditEntryEntity"), "the change and its audit record must be one SaveChanges");
        var entry = Assert.Single(await h.AuditAsync());
        Assert.Equal((SetProbePodCommand.Action, "cluster-1", "alice"), (entry.Action, entry.Target, entry.Actor));
        Assert.Contains("\"ownPod\":false", entry.Before);
        Assert.Contains("\"ownPod\":true", entry.After);
        var push = Assert.Single(h.Pushes.Requests);
        Assert.Equal([id], push.Clusters);
        Assert.Equal(ProbePodSettings.Trigger, push.Trigger);
    }

    [Fact]
    public async Task Changing_only_the_selector_saves_and_audits_but_asks_for_no_push()
    {
        await h.AddClusterAsync("cluster-1");

        var result = await h.Get<SetProbePodCommand>().RunAsync(CommandHarness.Admin(), "cluster-1", new ProbePodRequest("tools", "app=curl", false), CancellationToken.None);

        Assert.Equal(("tools", "app=curl"), (result.Value!.Effective.Namespace, result.Value.Effective.LabelSelector));
        Assert.Single(await h.AuditAsync());
        Assert.Empty(h.Pushes.Requests);
    }

    [Fact]
    public async Task A_team_member_is_refused_and_the_cluster_keeps_its_probe_pod()
    {
        await h.AddClusterAsync("cluster-1");

        var result = await h.Get<SetProbePodCommand>().RunAsync(CommandHarness.Member("tom"), "cluster-1", new ProbePodRequest("tools", null, true), CancellationToken.None);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_bad_selector_is_reported_by_field_and_changes_nothing()
    {
        await h.AddClusterAsync("cluster-1");

        var result = await h.Get<SetProbePodCommand>().RunAsync(CommandHarness.Admin(), "cluster-1", new ProbePodRequest(null, "app sleep", true), CancellationToken.None);

        Assert.Equal(CommandStatus.Invalid, result.Status);
        Assert.Contains("'app sleep' is not a label selector", Assert.Single(result.Errors["labelSelector"]));
        await AssertUnchangedAsync();
    }

    private async Task AssertUnchangedAsync()
    {
        await using var db = await h.DbAsync();
        var c = await db.Clusters.AsNoTracking().SingleAsync();
        Assert.Equal((null, null, false), (c.ProbeNamespace, c.ProbeLabelSelector, c.ProbeOwnPod));
        Assert.Empty(await h.AuditAsync());
        Assert.Empty(h.Pushes.Requests);
    }
}
