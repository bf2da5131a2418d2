using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// "Restart istiod" for Istio before 1.18 (see <see cref="IstioCaReload"/>): sets the rollout-restart annotation
/// <c>kubectl.kubernetes.io/restartedAt</c> on the pod template of <c>istio-system/istiod</c>, exactly what
/// <c>kubectl rollout restart</c> does, with a server-side apply of that one field through the cluster gateway.
/// An explicit, user-started action: the only trust call that talks to a cluster on a request path.
/// Audited on its own (<see cref="IAuditLog.RecordAsync"/>): the change is in the cluster, not in a row it could be saved with.
/// </summary>
public sealed partial class IstiodRestarter(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    SecretProtector secrets,
    TimeProvider clock,
    IAuditLog audit,
    ILogger<IstiodRestarter> logger)
{
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    public static readonly ObjectRef IstiodRef = new("apps", "v1", "deployments", "Deployment", "istio-system", "istiod");

    public async Task<TrustOutcome> RestartAsync(string clusterName, AuditContext who, CancellationToken ct)
    {
        var outcome = await RestartCoreAsync(clusterName, who.Describe(), ct);
        await audit.RecordAsync(who, new AuditEvent("trust.istiod_restarted", "cluster", clusterName, outcome.Message,
            Outcome: outcome.Succeeded ? AuditOutcomes.Success : AuditOutcomes.Failed), CancellationToken.None);
        return outcome;
    }

    private async Task<TrustOutcome> RestartCoreAsync(string clusterName, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Name == clusterName, ct);
        if (cluster is null)
        {
            return TrustOutcome.NotFound($"No cluster named '{clusterName}' is registered.");
        }

        var connection = secrets.ConnectionTo(cluster);
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            if (await gateway.GetObjectAsync(connection, IstiodRef, ct) is null)
            {
                return TrustOutcome.Conflict($"{clusterName} has no deployment istio-system/istiod to restart.");
            }

            await gateway.ApplyAsync(connection, new DesiredObject(IstiodRef, Body(stamp), TrustPlanner.SourceName, ApplyMode.Merge), ct);
        }
        catch (ClusterCallException ex)
        {
            return TrustOutcome.Conflict($"Could not restart istiod in {clusterName}: {ex.Message}");
        }

        LogRestarted(logger, clusterName, actor);
        return TrustOutcome.Ok($"istiod in {clusterName} is restarting (rollout restart at {stamp}); it will read the new cacerts when it starts.");
    }

    public static JsonObject Body(string stamp) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = IstiodRef.Name, ["namespace"] = IstiodRef.Namespace },
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RestartedAtAnnotation] = stamp } },
            },
        },
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "istiod rollout restart requested in {Cluster} by {Actor}")]
    private static partial void LogRestarted(ILogger logger, string cluster, string actor);
}
