using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Changes where a cluster's probes run (cluster page and <c>PUT /api/v1/clusters/{name}/probe-pod</c>): admins only, never
/// a read-only token. Validates, saves the choice and its <c>cluster.probe-pod-changed</c> audit record together, and asks
/// for a push of the cluster when MeshPortal's own probe pod is turned on or off.
/// </summary>
public sealed class SetProbePodCommand(IDbContextFactory<MeshPortalDbContext> dbFactory, ProbePodSettings settings, ISyncScheduler sync, TimeProvider clock)
{
    public const string Action = "cluster.probe-pod-changed";

    public async Task<CommandResult<ProbePodView>> RunAsync(Actor actor, string cluster, ProbePodRequest request, CancellationToken ct)
    {
        if (!actor.MayAdminister)
        {
            return CommandResult<ProbePodView>.Forbidden(actor.Refusal($"change the probe pod of cluster {cluster}"));
        }

        if (ProbePodSettings.Validate(request) is { Count: > 0 } errors)
        {
            return CommandResult<ProbePodView>.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var c = await db.Clusters.SingleOrDefaultAsync(x => x.Name == cluster, ct);
        if (c is null)
        {
            return CommandResult<ProbePodView>.NotFound($"No cluster named '{cluster}' is registered.");
        }

        var before = settings.View(c);
        c.ProbeNamespace = ProbePodSettings.Blank(request.Namespace);
        c.ProbeLabelSelector = ProbePodSettings.Blank(request.LabelSelector);
        c.ProbeOwnPod = request.OwnPod;
        var after = settings.View(c);
        AuditLog.Stage(db, actor.Who, new AuditEvent(Action, "cluster", c.Name, "Probe pod settings changed", Before: AuditShape(before), After: AuditShape(after)),
            clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        if (before.OwnPod != after.OwnPod)
        {
            sync.RequestSync([c.Id], ProbePodSettings.Trigger);
        }

        return CommandResult<ProbePodView>.Ok(after);
    }

    /// <summary>The audit's before/after: the stored choice and what it resolves to (the API's probe-pod fields).</summary>
    public static object AuditShape(ProbePodView v) => new
    {
        v.Cluster,
        v.Namespace,
        v.LabelSelector,
        v.OwnPod,
        EffectiveNamespace = v.Effective.Namespace,
        EffectiveLabelSelector = v.Effective.LabelSelector,
        EffectiveContainer = v.Effective.Container,
    };
}
