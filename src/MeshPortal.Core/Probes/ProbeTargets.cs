using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Probes;

/// <summary>What a consumer cluster probes: every port of every export it consumes (explicitly or as "all other clusters").</summary>
public static class ProbeTargets
{
    public static async Task<IReadOnlyList<ProbeTarget>> ForConsumerAsync(MeshPortalDbContext db, int clusterId, CancellationToken ct)
    {
        var exports = await db.Exports.AsNoTracking()
            .Where(e => e.ClusterId != clusterId && (e.AllConsumers || e.Consumers.Any(c => c.ClusterId == clusterId)))
            .Select(e => new { e.Id, e.ClusterId, e.Host, e.Namespace, e.Service, Ports = e.Ports.Select(p => p.Number).ToList() })
            .ToListAsync(ct);
        return [.. exports
            .SelectMany(e => e.Ports.Select(p => new ProbeTarget(e.Id, e.ClusterId, e.Host, p, e.Namespace, e.Service)))
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
        var byId = clusters.ToDictionary(c => c.Id, Reconciliation.ClusterTarget.From);
        var self = byId.GetValueOrDefault(consumer.Id) ?? Reconciliation.ClusterTarget.From(consumer);
        var pairs = new Exports.GlobalModelPairs();
        var carried = new List<ProbeTarget>();
        var records = new List<ProbeRecord>();
        foreach (var target in targets)
        {
            var verdict = byId.TryGetValue(target.TargetClusterId, out var exporter)
                ? pairs.Decide(exporter, self)
                : new Exports.PairVerdict(Exports.PairSupport.Unknown, "The exporting cluster is not registered.");
            switch (verdict.Support)
            {
                case Exports.PairSupport.Supported when verdict.Model == Exports.PairModel.MultiPrimary && target.Service is not null:
                    // Multi-primary: consumers call the service by its own name (clusterset.local with MCS hosts).
                    var domain = self.Mesh?.McsHost == true ? "clusterset.local" : "cluster.local";
                    carried.Add(target with { Host = $"{target.Service}.{target.Namespace}.svc.{domain}" });
                    break;
                case Exports.PairSupport.Supported:
                    carried.Add(target);
                    break;
                case Exports.PairSupport.Unsupported:
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
