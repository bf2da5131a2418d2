using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Sync;

/// <summary>What "sync now" queued: the cluster and the trigger its sync run will carry.</summary>
public sealed record SyncRequested(string Cluster, string Trigger);

/// <summary>
/// "Sync now" for one cluster (the cluster page's button and <c>POST /api/v1/clusters/{name}/sync</c>): admins and team
/// members, never a read-only token. Audits <c>sync.requested</c>, then asks for the push.
/// </summary>
public sealed class RequestSyncCommand(IDbContextFactory<MeshPortalDbContext> dbFactory, ISyncScheduler scheduler, TimeProvider clock)
{
    public const string Action = "sync.requested";

    public async Task<CommandResult<SyncRequested>> RunAsync(Actor actor, string cluster, CancellationToken ct)
    {
        if (!actor.MayOperate)
        {
            return CommandResult<SyncRequested>.Forbidden(actor.Refusal($"sync cluster {cluster}"));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.Clusters.AsNoTracking().Where(c => c.Name == cluster).Select(c => new { c.Id, c.Name }).SingleOrDefaultAsync(ct);
        if (target is null)
        {
            return CommandResult<SyncRequested>.NotFound($"No cluster named '{cluster}' is registered. GET /api/v1/clusters lists the registered clusters.");
        }

        var trigger = $"manual ({actor.Who.Describe()})";
        AuditLog.Stage(db, actor.Who, new AuditEvent(Action, "cluster", target.Name, $"Manual sync of {target.Name} queued"), clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        scheduler.RequestSync([target.Id], trigger);
        return CommandResult<SyncRequested>.Ok(new SyncRequested(target.Name, trigger));
    }
}
