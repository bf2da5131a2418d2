using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Probes;

/// <summary>What a consumer cluster probes: every port of every export it consumes (explicitly or as "all other clusters").</summary>
public static class ProbeTargets
{
    public static async Task<IReadOnlyList<ProbeTarget>> ForConsumerAsync(MeshPortalDbContext db, int clusterId, CancellationToken ct)
    {
        var exports = await db.Exports.AsNoTracking()
            .Where(e => e.ClusterId != clusterId && (e.AllConsumers || e.Consumers.Any(c => c.ClusterId == clusterId)))
            .Select(e => new { e.Id, e.ClusterId, e.Host, e.Namespace, e.Service, e.MovePhase, Ports = e.Ports.Select(p => p.Number).ToList() })
            .ToListAsync(ct);
        return [.. exports
            .SelectMany(e => e.Ports.Select(p => new ProbeTarget(e.Id, e.ClusterId, e.Host, p, e.Namespace, e.Service, e.MovePhase)))
            .OrderBy(t => t.Host, StringComparer.Ordinal).ThenBy(t => t.Port)];
    }

    /// <summary>
    /// Splits targets into those the <c>.global</c> model carries (to probe) and records for the rest: Unsupported with the
    /// reason where a side cannot carry it (nothing was pushed, so a curl would only fail), Unknown where a side's mesh model
    /// has not been read yet. Pure.
    /// </summary>
    public static (IReadOnlyList<ProbeTarget> Carried, IReadOnlyList<ProbeRecord> NotCarried) SplitByModel(
        ClusterEntity consumer, IReadOnlyList<ClusterEntity> clusters, IReadOnlyList<ProbeTarget> targets, DateTimeOffset now)
    {
        var byId = clusters.ToDictionary(c => c.Id, ClusterTarget.From);
        var self = byId.GetValueOrDefault(consumer.Id) ?? ClusterTarget.From(consumer);
        var pairs = new GlobalModelPairs();
        var carried = new List<ProbeTarget>();
        var records = new List<ProbeRecord>();
        foreach (var target in targets)
        {
            ClusterTarget? exporter;
            var verdict = byId.TryGetValue(target.TargetClusterId, out exporter)
                ? pairs.DecideFor(exporter, self, target.Move)
                : new PairVerdict(PairSupport.Unknown, "The exporting cluster is not registered.");
            var modernHost = target.Service is null ? null : ExportNamingRules.ModernHost(target.Service, target.Namespace ?? "", self.Mesh?.McsHost == true);
            switch (verdict.Support)
            {
                case PairSupport.Supported when verdict.Model == PairModel.MultiPrimary && modernHost is not null:
                    // Multi-primary: consumers call the service by its own name (clusterset.local with MCS hosts).
                    carried.Add(target with { Host = modernHost });
                    break;
                case PairSupport.Supported:
                    carried.Add(target);
                    if (modernHost is not null && exporter is not null && pairs.WritesModern(exporter, self, target.Move))
                    {
                        // A move to multi-primary is under way: the new name is probed beside the .global one until it answers.
                        carried.Add(target with { Host = modernHost });
                    }

                    break;
                case PairSupport.Unsupported:
                    records.Add(new ProbeRecord(target, ProbeClassifier.Unsupported(verdict.Reason, verdict.Hint), null, null, null, now));
                    break;
                default:
                    records.Add(new ProbeRecord(target, ProbeClassifier.NotPushed(verdict.Reason, verdict.Hint), null, null, null, now));
                    break;
            }
        }

        return (carried, records);
    }
}
