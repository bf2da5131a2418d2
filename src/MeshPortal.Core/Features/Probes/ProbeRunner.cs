using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using k8s.Models;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Probes everything one consumer cluster consumes with ONE exec into its probe pod, classifies the answers and stores them.
/// When the cluster's API cannot be reached every result becomes Unknown (never red, never the previous green).
/// </summary>
public sealed class ProbeRunner(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    SecretProtector secrets,
    ProbeStore store,
    ProbeEvents events,
    IOptions<ProbeOptions> options,
    TimeProvider time,
    ILogger<ProbeRunner> logger,
    IEnumerable<IClusterApiUnreachable> apiUnreachable)
{
    /// <param name="onlyExportId">Probe only this export's ports and keep the cluster's other latest results ("probe now" for one export).</param>
    /// <returns>The stored records (empty when the cluster is gone or consumes nothing).</returns>
    public async Task<IReadOnlyList<ProbeRecord>> RunClusterAsync(int clusterId, CancellationToken ct, int? onlyExportId = null)
    {
        ClusterEntity? cluster;
        IReadOnlyList<ProbeTarget> targets;
        List<ClusterEntity> peers;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, ct);
            if (cluster is null)
            {
                return [];
            }

            targets = await ProbeTargets.ForConsumerAsync(db, clusterId, ct);
            // Only what the model verdicts read (no kubeconfigs, tokens or check history of every peer).
            peers = targets.Count == 0 ? [] : await db.Clusters.AsNoTracking().Select(c => new ClusterEntity
            {
                Id = c.Id, Name = c.Name, Context = "", ProtectedKubeconfig = "", Server = "", IstioVersion = c.IstioVersion,
                GatewayAddress = c.GatewayAddress, GatewayPort = c.GatewayPort, IstioCoreDnsAddress = c.IstioCoreDnsAddress,
                DnsProxying = c.DnsProxying, DnsProvider = c.DnsProvider, Network = c.Network, CacertsDecision = c.CacertsDecision,
                KubernetesVersion = c.KubernetesVersion, MeshFactsJson = c.MeshFactsJson,
            }).ToListAsync(ct);
        }

        if (onlyExportId is { } only)
        {
            targets = [.. targets.Where(t => t.ExportId == only)];
        }

        var (carried, notCarried) = ProbeTargets.SplitByModel(cluster, peers, targets, time.GetUtcNow());
        var records = carried.Count == 0 ? notCarried : [.. await ProbeAsync(cluster, carried, ct), .. notCarried];
        if (onlyExportId is null)
        {
            await store.ReplaceAsync(clusterId, records, ct);
        }
        else
        {
            await store.UpsertAsync(clusterId, records, ct);
        }

        events.Publish(cluster.Name);
        return records;
    }

    private async Task<IReadOnlyList<ProbeRecord>> ProbeAsync(ClusterEntity cluster, IReadOnlyList<ProbeTarget> targets, CancellationToken ct)
    {
        var o = options.Value;
        var pod = ProbePodChoice.For(cluster, o);
        var perTarget = TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds));
        if (cluster.LastCheckPassed == false && cluster.LastFailedStage is CheckStageIds.ApiReachable or CheckStageIds.ApiTls or CheckStageIds.ApiAuth or CheckStageIds.KubeconfigParse)
        {
            // The last connection check could not reach the API: say so at once rather than hold a job worker on a dead endpoint,
            // and have it checked again (coalesced), so the cluster and its probes recover soon after the API does.
            ReportApiUnreachable(cluster.Name);
            return ProbeRecord.All(targets, ProbeClassifier.ApiUnreachable(
                $"The cluster's last connection check failed at stage '{cluster.LastFailedStage}' ({cluster.LastCheckedAt:u}); nothing was probed."), time.GetUtcNow());
        }

        using var apiLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        apiLimit.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, o.ApiTimeoutSeconds)));
        try
        {
            var connection = Connect(cluster);
            var pods = await gateway.ListPodsAsync(connection, pod.Namespace, pod.LabelSelector, apiLimit.Token);
            var chosen = pods.FirstOrDefault(IsRunning);
            if (chosen is null)
            {
                return ProbeRecord.All(targets, ProbeClassifier.PodMissing(pod.Namespace, pod.LabelSelector), time.GetUtcNow());
            }

            var container = pod.Container ?? chosen.Spec?.Containers?.FirstOrDefault(c => c.Name != "istio-proxy")?.Name ?? "sleep";
            var records = new List<ProbeRecord>(targets.Count);
            foreach (var batch in ProbeScript.Split(targets, perTarget, Math.Max(1000, o.MaxCommandChars)))
            {
                var result = await gateway.ExecAsync(connection, pod.Namespace, chosen.Metadata.Name, container,
                    ProbeScript.Command(batch, perTarget), ProbeScript.ExecBudget(batch.Count, perTarget), ct);
                var reason = string.IsNullOrWhiteSpace(result.Stderr) ? null : result.Stderr.Trim().Split('\n')[0];
                records.AddRange(ProbeRecord.FromOutput(batch, ProbeOutputParser.Parse(result.Stdout), reason, time.GetUtcNow()));
            }

            return records;
        }
        catch (ClusterCallException ex) when (ex.Kind == ClusterCallErrorKind.NotFound)
        {
            // The pod went away between list and exec.
            return ProbeRecord.All(targets, ProbeClassifier.PodMissing(pod.Namespace, pod.LabelSelector), time.GetUtcNow());
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ReportApiUnreachable(cluster.Name);
            return ProbeRecord.All(targets, ProbeClassifier.ApiUnreachable($"The API server did not list the probe pods within {o.ApiTimeoutSeconds} s."), time.GetUtcNow());
        }
        catch (ClusterCallException ex)
        {
            logger.LogInformation("Probing from {Cluster} failed: {Reason}", cluster.Name, ex.Message);
            if (ApiUnreachableKinds.Matches(ex))
            {
                ReportApiUnreachable(cluster.Name);
            }

            return ProbeRecord.All(targets, ProbeClassifier.ApiUnreachable(ex.Message), time.GetUtcNow());
        }
    }

    private void ReportApiUnreachable(string clusterName)
    {
        foreach (var listener in apiUnreachable)
        {
            listener.ApiUnreachable(clusterName);
        }
    }

    private static bool IsRunning(V1Pod p) =>
        p.Status?.Phase == "Running" && p.Metadata?.DeletionTimestamp is null && !string.IsNullOrEmpty(p.Metadata?.Name);

    private ClusterConnection Connect(ClusterEntity cluster) => secrets.ConnectionTo(cluster);
}
