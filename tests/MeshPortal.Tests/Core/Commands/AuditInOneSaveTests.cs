using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.ExportMoves;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>
/// Each user change and its audit record are one unit of work: the save recorder sees both in one SaveChanges, and when the
/// audit record cannot be stored the change is not stored either (an audit row without an actor breaks its NOT NULL column).
/// </summary>
[Trait("Speed", "Fast")]
public sealed class AuditInOneSaveTests : IAsyncLifetime
{
    private static readonly AuditContext Alice = new("alice", "id-alice");

    /// <summary>An audit record the database refuses (Actor is NOT NULL): whatever is saved with it must be refused too.</summary>
    private static readonly AuditContext Unrecordable = new(null!);

    private CommandHarness h = null!;

    public async Task InitializeAsync() => h = await CommandHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Team_changes_save_their_audit_record_in_the_same_save()
    {
        var teams = h.Get<TeamService>();

        var created = await teams.CreateAsync("payments", "Pays", Alice, CancellationToken.None);
        var id = created.Team!.Id;
        Assert.True(h.Saves.OneSaveWrote("TeamEntity", "AuditEntryEntity"), "team.created");
        await teams.AddGrantAsync(id, "*", "pay", Alice, CancellationToken.None);
        Assert.True(h.Saves.OneSaveWrote("TeamGrantEntity", "AuditEntryEntity"), "team.grant-added");
        var grant = (await teams.GetAsync(id, CancellationToken.None))!.Grants.Single();
        await teams.RemoveGrantAsync(id, grant.Id, Alice, CancellationToken.None);
        Assert.Equal(2, h.Saves.All.Count(s => s.Contains("TeamGrantEntity") && s.Contains("AuditEntryEntity")));
        await teams.DeleteAsync(id, Alice, CancellationToken.None);
        Assert.Equal(2, h.Saves.All.Count(s => s.Contains("TeamEntity") && s.Contains("AuditEntryEntity")));

        Assert.Equal(["team.created", "team.grant-added", "team.grant-removed", "team.deleted"], (await h.AuditAsync()).Select(a => a.Action));
        Assert.All(h.Saves.All, s => Assert.Contains("AuditEntryEntity", s));
    }

    [Fact]
    public async Task A_team_whose_audit_record_cannot_be_stored_is_not_created()
    {
        await Assert.ThrowsAsync<DbUpdateException>(() => h.Get<TeamService>().CreateAsync("payments", null, Unrecordable, CancellationToken.None));

        await using var db = await h.DbAsync();
        Assert.Equal(0, await db.Teams.CountAsync());
        Assert.Empty(await h.AuditAsync());
    }

    [Fact]
    public async Task Changing_and_deleting_a_cluster_save_the_audit_record_with_the_change()
    {
        await h.AddClusterAsync("cluster-1");
        var clusters = h.Get<ClusterService>();

        var changed = await clusters.UpdateAsync("cluster-1", new ClusterUpdate(null, null, "net-1", "eu"), Alice, null, CancellationToken.None);
        Assert.True(changed.Succeeded);
        Assert.True(h.Saves.OneSaveWrote("ClusterEntity", "AuditEntryEntity"), "cluster.changed");
        h.Saves.Clear();
        Assert.True(await clusters.DeleteAsync("cluster-1", Alice, CancellationToken.None));
        Assert.True(h.Saves.OneSaveWrote("ClusterEntity", "AuditEntryEntity"), "cluster.deleted");

        Assert.False(await clusters.DeleteAsync("cluster-1", Alice, CancellationToken.None));
        var audit = await h.AuditAsync();
        Assert.Equal(["cluster.changed", "cluster.deleted"], audit.Select(a => a.Action));
        Assert.Contains("\"network\":\"net-1\"", audit[0].After);
        await using var db = await h.DbAsync();
        Assert.Equal(0, await db.Clusters.CountAsync());
    }

    [Fact]
    public async Task A_cluster_whose_deletion_cannot_be_audited_stays_registered()
    {
        await h.AddClusterAsync("cluster-1");

        await Assert.ThrowsAsync<DbUpdateException>(() => h.Get<ClusterService>().DeleteAsync("cluster-1", Unrecordable, CancellationToken.None));

        await using var db = await h.DbAsync();
        Assert.Equal(1, await db.Clusters.CountAsync());
        Assert.Empty(h.Pushes.Requests);
    }

    [Fact]
    public async Task Moving_an_export_to_another_team_saves_the_audit_record_with_the_owner()
    {
        var cluster = await h.AddClusterAsync("cluster-1");
        var export = await h.AddTeamExportAsync(cluster, "payments", "tom", "pay");
        var other = (await h.Get<TeamService>().CreateAsync("billing", null, Alice, CancellationToken.None)).Team!;
        h.Saves.Clear();

        var result = await h.Get<ExportOwnerService>().MoveExportAsync(export, other.Id, Alice, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.True(h.Saves.OneSaveWrote("ExportEntity", "AuditEntryEntity"));
        var entry = (await h.AuditAsync()).Last();
        Assert.Equal(("export.moved", "Export httpbin.pay.global moved from payments to billing"), (entry.Action, entry.Summary));
    }

    [Fact]
    public async Task The_service_scope_setting_is_saved_with_its_audit_record_and_an_unchanged_setting_audits_nothing()
    {
        await h.AddClusterAsync("cluster-1");
        var scope = h.Get<ServiceScopeService>();

        await scope.SetEnabledAsync(true, Alice, CancellationToken.None);
        Assert.True(h.Saves.OneSaveWrote("MeshSettingsEntity", "AuditEntryEntity"));
        await scope.SetEnabledAsync(true, Alice, CancellationToken.None);

        Assert.Equal(["mesh.service-scope.enabled"], (await h.AuditAsync()).Select(a => a.Action));
        Assert.Single(h.Pushes.Requests);
    }

    [Fact]
    public async Task Withdrawing_the_east_west_gateway_is_saved_with_its_audit_record()
    {
        var id = await h.AddClusterAsync("cluster-1");
        await using (var db = await h.DbAsync())
        {
            await db.Clusters.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.DeployEastWestGateway, true));
        }

        var result = await h.Get<EastWestGatewayService>().SetAsync("cluster-1", false, Alice, CancellationToken.None);

        Assert.Equal(EastWestRequestOutcome.Withdrawn, result.Outcome);
        Assert.True(h.Saves.OneSaveWrote("ClusterEntity", "AuditEntryEntity"));
        Assert.Equal("cluster.eastwest.withdraw", Assert.Single(await h.AuditAsync()).Action);
        Assert.Equal([id], Assert.Single(h.Pushes.Requests).Clusters);
    }

    [Fact]
    public async Task Screen_tokens_are_created_and_revoked_with_their_audit_records_and_callers_get_views()
    {
        var store = h.Get<ScreenTokenStore>();

        var (token, details, error) = await store.CreateAsync("lobby", null, Alice, CancellationToken.None);
        Assert.Null(error);
        Assert.True(h.Saves.OneSaveWrote("ScreenTokenEntity", "AuditEntryEntity"), "screen_token.created");
        Assert.Equal(details!.Id, (await store.ValidateAsync(token, CancellationToken.None))!.Id);
        h.Saves.Clear();
        Assert.True(await store.RevokeAsync(details.Id, Alice, CancellationToken.None));
        Assert.True(h.Saves.OneSaveWrote("ScreenTokenEntity", "AuditEntryEntity"), "screen_token.revoked");

        Assert.Null(await store.ValidateAsync(token, CancellationToken.None));
        Assert.Equal(["screen_token.created", "screen_token.revoked"], (await h.AuditAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task Api_tokens_are_created_and_revoked_with_their_audit_records_and_a_read_only_caller_is_refused_on_the_record()
    {
        await h.AddTeamExportAsync(await h.AddClusterAsync("cluster-1"), "payments", "tom", "pay");
        var commands = h.Get<ApiTokenCommands>();

        var refused = await commands.CreateAsync("id-tom", "ci", null, false, callerReadOnly: true, Alice, CancellationToken.None);
        Assert.True(refused.Forbidden);
        var created = await commands.CreateAsync("id-tom", "ci", null, true, callerReadOnly: false, Alice, CancellationToken.None);
        Assert.True(h.Saves.OneSaveWrote("ApiTokenEntity", "AuditEntryEntity"), "token.created");
        Assert.Equal(("ci", true), (created.Details!.Name, created.Details.ReadOnly));
        h.Saves.Clear();
        var revoked = await commands.RevokeAsync(created.Details.Id, "id-tom", Alice, CancellationToken.None);
        Assert.True(h.Saves.OneSaveWrote("ApiTokenEntity", "AuditEntryEntity"), "token.revoked");
        Assert.NotNull(revoked!.RevokedAt);
        Assert.Null(await commands.RevokeAsync(created.Details.Id, "id-someone-else", Alice, CancellationToken.None));

        var audit = await h.AuditAsync();
        Assert.Equal([("token.created", "denied"), ("token.created", "success"), ("token.revoked", "success")], audit.Select(a => (a.Action, a.Outcome)));
        Assert.Equal("Revoked API token 'ci' (" + created.Details.Prefix + "…) of tom", audit[2].Summary);
    }

    [Fact]
    public async Task Cancelling_a_move_and_its_audit_record_are_one_transaction()
    {
        var cluster = await h.AddClusterAsync("cluster-1");
        var export = await h.AddTeamExportAsync(cluster, "payments", "tom", "pay");
        await using (var db = await h.DbAsync())
        {
            await db.Exports.Where(e => e.Id == export).ExecuteUpdateAsync(s => s.SetProperty(e => e.MovePhase, ExportMovePhase.Moving));
        }

        await Assert.ThrowsAsync<DbUpdateException>(() => h.Get<ExportMoveService>().CancelAsync(export, Unrecordable, CancellationToken.None));
        Assert.Equal(ExportMovePhase.Moving, await PhaseAsync(export));

        var cancelled = await h.Get<ExportMoveService>().CancelAsync(export, Alice, CancellationToken.None);
        Assert.True(cancelled.Succeeded);
        Assert.Equal(ExportMovePhase.None, await PhaseAsync(export));
        var again = await h.Get<ExportMoveService>().CancelAsync(export, Alice, CancellationToken.None);
        Assert.False(again.Succeeded);
        Assert.Equal("export.move.cancelled", Assert.Single(await h.AuditAsync()).Action);
    }

    private async Task<ExportMovePhase> PhaseAsync(int export)
    {
        await using var db = await h.DbAsync();
        return await db.Exports.Where(e => e.Id == export).Select(e => e.MovePhase).SingleAsync();
    }
}
