using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Platform.Audit;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>
/// The export commands apply the one ownership rule before any change (the API, the export form and list all go through
/// them) and save the change with its audit record.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ExportCommandsTests : IAsyncLifetime
{
    private CommandHarness h = null!;
    private int exporter;
    private int export;

    public async Task InitializeAsync()
    {
        h = await CommandHarness.StartAsync();
        exporter = await h.AddClusterAsync("cluster-2");
        await h.AddClusterAsync("cluster-1");
        export = await h.AddTeamExportAsync(exporter, "payments", "pam", "bar");
        await h.AddTeamExportAsync(exporter, "search", "sam", "search");
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_member_of_the_owning_team_unexports_and_the_delete_and_its_audit_record_commit_together()
    {
        var result = await h.Get<ExportCommands>().DeleteAsync(CommandHarness.Member("pam"), export, CancellationToken.None);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        Assert.False(await ExistsAsync());
        Assert.True(h.Saves.OneSaveWrote("AuditEntryEntity"));
        var entry = Assert.Single(await h.AuditAsync());
        Assert.Equal(("pam", "export.deleted", "httpbin.bar.global"), (entry.Actor, entry.Action, entry.Target));
        Assert.Contains(h.Pushes.Requests, r => r.Clusters.Contains(exporter));
    }

    [Fact]
    public async Task A_member_of_another_team_gets_not_found_and_the_export_stays()
    {
        var commands = h.Get<ExportCommands>();

        var delete = await commands.DeleteAsync(CommandHarness.Member("sam"), export, CancellationToken.None);
        var update = await commands.UpdateAsync(CommandHarness.Member("sam"), export, new ExportChange(null, ["cluster-1"]), CancellationToken.None);

        Assert.Equal((ExportFailureKind.NotFound, ExportFailureKind.NotFound), (delete.Failure, update.Failure));
        await AssertUntouchedAsync();
    }

    [Fact]
    public async Task A_viewer_may_see_the_export_but_is_refused_a_change()
    {
        var result = await h.Get<ExportCommands>().DeleteAsync(CommandHarness.Viewer(), export, CancellationToken.None);

        Assert.Equal(ExportFailureKind.Forbidden, result.Failure);
        Assert.Contains("You may not change export", result.Errors["export"].Single());
        await AssertUntouchedAsync();
    }

    [Fact]
    public async Task The_owner_changes_the_consumers_in_one_save_with_the_audit_record()
    {
        var result = await h.Get<ExportCommands>().UpdateAsync(CommandHarness.Member("pam"), export, new ExportChange(null, ["cluster-1"]), CancellationToken.None);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal(["cluster-1"], result.Export!.Consumers.Select(c => c.Cluster));
        Assert.True(h.Saves.OneSaveWrote("ExportConsumerEntity", "AuditEntryEntity"), "the change and its audit record must be one SaveChanges");
        Assert.Equal("export.changed", Assert.Single(await h.AuditAsync()).Action);
    }

    [Fact]
    public async Task A_new_export_in_a_namespace_no_team_of_the_caller_is_granted_is_forbidden_before_anything_is_read()
    {
        var result = await h.Get<ExportCommands>().CreateAsync(CommandHarness.Member("sam"),
            new NewExport("cluster-2", "bar", "httpbin", null, null), CancellationToken.None);

        Assert.Equal(ExportFailureKind.Forbidden, result.Failure);
        Assert.Contains("none of your teams is granted it", result.Errors["export"].Single());
        await AssertUntouchedAsync();
    }

    private async Task<bool> ExistsAsync()
    {
        await using var db = await h.DbAsync();
        return await db.Exports.AnyAsync(e => e.Id == export);
    }

    private async Task AssertUntouchedAsync()
    {
        Assert.True(await ExistsAsync());
        await using var db = await h.DbAsync();
        Assert.Equal(0, await db.ExportConsumers.CountAsync());
        Assert.Empty(await h.AuditAsync());
        Assert.Empty(h.Pushes.Requests);
    }
}
