using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Commands;

namespace MeshPortal.Tests.Core.Commands;

/// <summary>"Probe now" for a cycle, a cluster or an export: who may, the export ownership rule, and the audit record.</summary>
[Trait("Speed", "Fast")]
public sealed class RequestProbeCommandTests : IAsyncLifetime
{
    private CommandHarness h = null!;

    public async Task InitializeAsync() => h = await CommandHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_member_of_the_owning_team_probes_the_export_and_it_is_audited()
    {
        var cluster = await h.AddClusterAsync("cluster-2");
        var export = await h.AddTeamExportAsync(cluster, "payments", "pam", "bar");

        var result = await h.Get<RequestProbeCommand>().ExportAsync(CommandHarness.Member("pam"), export, CancellationToken.None);

        Assert.Equal(CommandStatus.Done, result.Status);
        Assert.Equal(1, h.EnqueuedJobs);
        var entry = Assert.Single(await h.AuditAsync());
        Assert.Equal(("pam", RequestProbeCommand.Action, "export", export.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (entry.Actor, entry.Action, entry.TargetKind, entry.Target));
    }

    [Fact]
    public async Task A_member_of_another_team_gets_not_found_for_the_export_and_nothing_is_queued_or_audited()
    {
        var cluster = await h.AddClusterAsync("cluster-2");
        var export = await h.AddTeamExportAsync(cluster, "payments", "pam", "bar");
        await h.AddTeamExportAsync(cluster, "search", "sam", "search");

        var result = await h.Get<RequestProbeCommand>().ExportAsync(CommandHarness.Member("sam"), export, CancellationToken.None);

        Assert.Equal(CommandStatus.NotFound, result.Status);
        Assert.Equal($"No export has id {export}; nothing was probed.", result.Error);
        Assert.Equal(0, h.EnqueuedJobs);
        Assert.Empty(await h.AuditAsync());
    }

    [Fact]
    public async Task A_viewer_may_read_the_export_but_not_probe_it()
    {
        var cluster = await h.AddClusterAsync("cluster-2");
        var export = await h.AddTeamExportAsync(cluster, "payments", "pam", "bar");

        var one = await h.Get<RequestProbeCommand>().ExportAsync(CommandHarness.Viewer(), export, CancellationToken.None);
        var all = await h.Get<RequestProbeCommand>().AllAsync(CommandHarness.Viewer(), CancellationToken.None);

        Assert.Equal((CommandStatus.Forbidden, CommandStatus.Forbidden), (one.Status, all.Status));
        Assert.Equal(0, h.EnqueuedJobs);
        Assert.Empty(await h.AuditAsync());
    }

    [Fact]
    public async Task One_cluster_is_probed_with_the_reason_in_its_audit_record_and_an_unknown_one_is_not_found()
    {
        await h.AddClusterAsync("cluster-1");
        var command = h.Get<RequestProbeCommand>();

        var found = await command.ClusterAsync(CommandHarness.Admin(), "cluster-1", ProbeReason.TrustRollout, CancellationToken.None);
        var missing = await command.ClusterAsync(CommandHarness.Admin(), "cluster-9", ProbeReason.Manual, CancellationToken.None);

        Assert.Equal((CommandStatus.Done, CommandStatus.NotFound), (found.Status, missing.Status));
        Assert.Equal(1, h.EnqueuedJobs);
        var entry = Assert.Single(await h.AuditAsync());
        Assert.Equal(("cluster-1", "Probe of one consumer cluster queued (trust roll-out)"), (entry.Target, entry.Summary));
    }
}
