using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>The mesh-wide canary switch: admins only; the setting and its audit record are one save; its exports follow.</summary>
[Trait("Speed", "Fast")]
public sealed class SetCanaryCommandTests : IAsyncLifetime
{
    private CommandHarness h = null!;

    public async Task InitializeAsync() => h = await CommandHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Turning_it_on_saves_the_setting_with_its_audit_record_creates_the_exports_and_pushes_every_cluster()
    {
        var ids = new[] { await h.AddClusterAsync("cluster-1"), await h.AddClusterAsync("cluster-2") };

        var result = await h.Get<SetCanaryCommand>().RunAsync(CommandHarness.Admin(), true, CancellationToken.None);

        Assert.True(result.Value);
        Assert.True(h.Saves.OneSaveWrote("MeshSettingsEntity", "AuditEntryEntity"), "the setting and its audit record must be one SaveChanges");
        var entry = Assert.Single(await h.AuditAsync());
        Assert.Equal(("canary.enabled", "canary", "alice"), (entry.Action, entry.Target, entry.Actor));
        await using var db = await h.DbAsync();
        Assert.Equal("alice", (await db.MeshSettings.AsNoTracking().SingleAsync()).UpdatedBy);
        Assert.Equal(2, await db.Exports.CountAsync(e => e.CreatedBy == CanaryNames.Actor));
        Assert.Contains(h.Pushes.Requests, r => r.Clusters.Order().SequenceEqual(ids) && r.Trigger == CanaryService.Trigger);
    }

    [Fact]
    public async Task A_read_only_admin_token_is_refused_and_the_canary_stays_off()
    {
        await h.AddClusterAsync("cluster-1");

        var result = await h.Get<SetCanaryCommand>().RunAsync(CommandHarness.Admin(readOnly: true), true, CancellationToken.None);

        Assert.Equal(CommandStatus.Forbidden, result.Status);
        Assert.Contains("read-only", result.Error);
        Assert.False(await h.Get<CanaryService>().IsEnabledAsync(CancellationToken.None));
        Assert.Empty(await h.AuditAsync());
        Assert.Empty(h.Pushes.Requests);
        await using var db = await h.DbAsync();
        Assert.Equal(0, await db.Exports.CountAsync());
    }
}
