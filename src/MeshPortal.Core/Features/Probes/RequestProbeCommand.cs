using System.Globalization;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Probes;

/// <summary>Why one consumer cluster is probed now; it words the audit record.</summary>
public enum ProbeReason
{
    Manual,
    TrustRollout,
}

/// <summary>
/// "Probe now": a whole cycle, one consumer cluster, or one export from each of its consumers (Reachability page and API,
/// the Trust page's roll-out, the Exports page and API). Admins and team members, never a read-only token; an export is
/// probed only for a caller who may read it (the same "not found" as a missing one, so ids reveal nothing). Audits
/// <c>probe.requested</c>, then queues the job; returns the job id.
/// </summary>
public sealed class RequestProbeCommand(IDbContextFactory<MeshPortalDbContext> dbFactory, ProbeScheduler scheduler, ExportQueries exports,
    ExportPermissions permissions, TimeProvider clock)
{
    public const string Action = "probe.requested";

    public async Task<CommandResult<string>> AllAsync(Actor actor, CancellationToken ct)
    {
        if (!actor.MayOperate)
        {
            return CommandResult<string>.Forbidden(actor.Refusal("start a probe cycle"));
        }

        await AuditAsync(actor, new AuditEvent(Action, "probe", "all clusters", "Manual probe cycle queued"), ct);
        return CommandResult<string>.Ok(scheduler.RunNow());
    }

    public async Task<CommandResult<string>> ClusterAsync(Actor actor, string cluster, ProbeReason reason, CancellationToken ct)
    {
        if (!actor.MayOperate)
        {
            return CommandResult<string>.Forbidden(actor.Refusal($"probe from cluster {cluster}"));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = await db.Clusters.AsNoTracking().Where(c => c.Name == cluster).Select(c => (int?)c.Id).SingleOrDefaultAsync(ct);
        if (id is null)
        {
            return CommandResult<string>.NotFound($"No cluster named '{cluster}' is registered; nothing was probed.");
        }

        var summary = reason == ProbeReason.TrustRollout ? "Probe of one consumer cluster queued (trust roll-out)" : $"Manual probe of {cluster} queued";
        AuditLog.Stage(db, actor.Who, new AuditEvent(Action, "probe", cluster, summary), clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        return CommandResult<string>.Ok(scheduler.RunCluster(id.Value));
    }

    public async Task<CommandResult<string>> ExportAsync(Actor actor, int exportId, CancellationToken ct)
    {
        if (await exports.GetAsync(exportId, ct) is not { } export || !await permissions.MayReadAsync(actor, export, ct))
        {
            return CommandResult<string>.NotFound($"No export has id {exportId}; nothing was probed.");
        }

        if (!actor.MayOperate)
        {
            return CommandResult<string>.Forbidden(actor.Refusal($"probe export {export.Host}"));
        }

        var target = exportId.ToString(CultureInfo.InvariantCulture);
        await AuditAsync(actor, new AuditEvent(Action, "export", target, $"Manual probe of export {exportId} queued"), ct);
        return CommandResult<string>.Ok(scheduler.RunExport(exportId));
    }

    private async Task AuditAsync(Actor actor, AuditEvent what, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AuditLog.Stage(db, actor.Who, what, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
