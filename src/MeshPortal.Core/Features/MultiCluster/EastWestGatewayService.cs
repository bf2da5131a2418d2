using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.MultiCluster;

/// <summary>What asking for (or withdrawing) a MeshPortal-deployed east-west gateway did.</summary>
public enum EastWestRequestOutcome
{
    Requested,
    Withdrawn,
    Unchanged,
    NotFound,
    Invalid,
}

/// <summary>The outcome, the error for <see cref="EastWestRequestOutcome.Invalid"/>, and whether MeshPortal now deploys the gateway.</summary>
public sealed record EastWestRequestResult(EastWestRequestOutcome Outcome, string? Error, bool Deployed);

/// <summary>
/// Records an admin's request that MeshPortal deploy (or stop deploying) a cluster's east-west gateway, audits it and asks for
/// a push of that cluster (the request and its audit record are one save); the <see cref="MultiPrimaryPlanner"/> then writes (or prunes) the objects of <see cref="EastWestGateway"/>.
/// Bad requests (a cluster without a network, an Istio older than the gateway chart) change nothing.
/// </summary>
public sealed class EastWestGatewayService(IDbContextFactory<MeshPortalDbContext> dbFactory, ISyncScheduler sync, TimeProvider clock)
{
    public async Task<EastWestRequestResult> SetAsync(string clusterName, bool deploy, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == clusterName, ct);
        if (cluster is null)
        {
            return new(EastWestRequestOutcome.NotFound, $"No cluster named '{clusterName}' is registered.", false);
        }

        if (deploy && EastWestGateway.CannotDeploy(cluster.Name, cluster.Network, MeshFactsJson.Deserialize(cluster.MeshFactsJson)) is { } reason)
        {
            return new(EastWestRequestOutcome.Invalid, reason, cluster.DeployEastWestGateway);
        }

        if (cluster.DeployEastWestGateway == deploy)
        {
            return new(EastWestRequestOutcome.Unchanged, null, deploy);
        }

        cluster.DeployEastWestGateway = deploy;
        AuditLog.Stage(db, who, new AuditEvent(deploy ? "cluster.eastwest.deploy" : "cluster.eastwest.withdraw", "cluster", cluster.Name,
            deploy
                ? $"MeshPortal deploys the east-west gateway of {cluster.Name} (network {cluster.Network})"
                : $"MeshPortal no longer deploys the east-west gateway of {cluster.Name}; its objects are pruned",
            Before: new { deployEastWestGateway = !deploy }, After: new { deployEastWestGateway = deploy }), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        sync.RequestSync([cluster.Id], deploy ? "east-west gateway requested" : "east-west gateway withdrawn");
        return new(deploy ? EastWestRequestOutcome.Requested : EastWestRequestOutcome.Withdrawn, null, deploy);
    }
}
