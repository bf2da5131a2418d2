using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>
/// Reads an <see cref="AlertSnapshot"/> in a fixed number of queries (ten at most, whatever the number of clusters and exports): only
/// failing probe rows and failing consumer objects are loaded, and exports only when a failure names them.
/// </summary>
public static class AlertSnapshotReader
{
    public static async Task<AlertSnapshot> ReadAsync(MeshPortalDbContext db, DateTimeOffset now, AlertOptions options, ProbeOptions probes, CancellationToken ct)
    {
        var clusters = await db.Clusters.AsNoTracking()
            .Select(c => new ClusterFact(c.Id, c.Name, c.LastCheckedAt, c.LastCheckPassed, c.LastFailedStage, c.RemoteSyncProblem)).ToListAsync(ct);

        var failingRows = await db.ProbeResults.AsNoTracking()
            .Where(r => r.Status != nameof(ProbeStatus.Ok) && r.Status != nameof(ProbeStatus.Unknown))
            .Select(r => new { r.SourceClusterId, r.TargetClusterId, r.ExportId, r.Host, r.Port, r.Status, r.Message, r.Hint, r.ObservedAt })
            .ToListAsync(ct);
        var links = failingRows
            .Select(r => new LinkFact(r.SourceClusterId, r.TargetClusterId, r.ExportId, r.Host, r.Port,
                Enum.TryParse<ProbeStatus>(r.Status, out var st) ? st : ProbeStatus.Unknown, r.Message, r.Hint, r.ObservedAt))
            .Where(l => ProbeStatuses.IsFailure(l.Status) && l.Status != ProbeStatus.Unsupported).ToList();

        var newest = await db.ProbeResults.AsNoTracking().OrderByDescending(r => r.ObservedAt).Select(r => (DateTimeOffset?)r.ObservedAt).FirstOrDefaultAsync(ct);

        var failedObjects = await db.ManagedObjects.AsNoTracking()
            .Where(m => m.Source.StartsWith("export/") && m.State != ObjectSyncState.Synced && m.State != ObjectSyncState.Pending)
            .Select(m => new { m.Source, m.ClusterId, m.State, m.Message, m.LastAttemptAt })
            .ToListAsync(ct);
        var consumerFailures = failedObjects
            .Select(m => (Export: int.TryParse(m.Source["export/".Length..], out var id) ? id : 0, m))
            .Where(x => x.Export > 0)
            .GroupBy(x => (x.Export, x.m.ClusterId))
            .Select(g => new ConsumerFailure(g.Key.Export, g.Key.ClusterId, g.First().m.State.ToString(), g.First().m.Message, g.Max(x => x.m.LastAttemptAt)))
            .ToList();
        // A consumer the .global model cannot carry has no objects to fail: its probe row says Unsupported, with the reason.
        consumerFailures.AddRange(failingRows
            .Where(r => r.Status == nameof(ProbeStatus.Unsupported) && r.ExportId > 0)
            .GroupBy(r => (r.ExportId, r.SourceClusterId))
            .Where(g => !consumerFailures.Any(f => f.ExportId == g.Key.ExportId && f.ClusterId == g.Key.SourceClusterId))
            .Select(g => new ConsumerFailure(g.Key.ExportId, g.Key.SourceClusterId, nameof(ObjectSyncState.Unsupported), g.First().Message, g.Max(r => r.ObservedAt))));

        var take = Math.Max(1, options.PushFailures);
        var runs = await db.SyncRuns.AsNoTracking()
            .Where(r => db.Set<SyncRunEntity>().Count(x => x.ClusterId == r.ClusterId && x.Id > r.Id) < take)
            .Select(r => new { r.ClusterId, r.Id, r.Succeeded, r.Error, r.FinishedAt })
            .ToListAsync(ct);
        var pushes = runs.GroupBy(r => r.ClusterId).Select(g =>
        {
            var ordered = g.OrderByDescending(r => r.Id).ToList();
            return new PushTail(g.Key, ordered.TakeWhile(r => !r.Succeeded).Count(), ordered[0].Error, ordered[0].FinishedAt);
        }).ToList();

        var intermediates = await db.ClusterIntermediates.AsNoTracking()
            .Where(i => i.State == IntermediateState.Active && i.NotAfter != null)
            .Select(i => new { i.ClusterId, i.SerialNumber, NotAfter = i.NotAfter!.Value }).ToListAsync(ct);
        var roots = await db.MeshRoots.AsNoTracking()
            .Where(r => r.State == RootState.Active || r.State == RootState.Next)
            .Select(r => new { r.Subject, r.NotAfter }).ToListAsync(ct);
        var certificates = roots.Select(r => new CaFact("root", null, r.Subject, r.NotAfter))
            .Concat(intermediates.Select(i => new CaFact("intermediate", i.ClusterId, "serial " + (i.SerialNumber ?? "?"), i.NotAfter)))
            .ToList();

        var exportIds = links.Select(l => l.ExportId).Concat(consumerFailures.Select(f => f.ExportId)).Distinct().ToList();
        var exports = new Dictionary<int, ExportFact>();
        var anyConsumed = !string.IsNullOrWhiteSpace(probes.Cron) && await db.Exports.AnyAsync(e => e.AllConsumers || e.Consumers.Any(), ct);
        if (exportIds.Count > 0)
        {
            var rows = await db.Exports.AsNoTracking().Where(e => exportIds.Contains(e.Id))
                .Select(e => new { e.Id, e.ClusterId, e.Namespace, e.Service, e.Host, Team = e.OwnerTeam != null ? e.OwnerTeam.Name : null })
                .ToListAsync(ct);
            var grants = rows.Any(r => r.Team is null)
                ? await db.TeamGrants.AsNoTracking().Join(db.Teams, g => g.TeamId, t => t.Id, (g, t) => new { g.Cluster, g.Namespace, t.Name }).ToListAsync(ct)
                : [];
            var names = clusters.ToDictionary(c => c.Id, c => c.Name);
            foreach (var r in rows)
            {
                IReadOnlyList<string> teams = r.Team is not null
                    ? [r.Team]
                    : [.. grants.Where(g => g.Namespace == r.Namespace && (g.Cluster == "*" || g.Cluster == names.GetValueOrDefault(r.ClusterId)))
                        .Select(g => g.Name).Distinct().Order(StringComparer.Ordinal)];
                exports[r.Id] = new ExportFact(r.Id, r.ClusterId, r.Namespace, r.Service, r.Host, teams);
            }
        }

        return new AlertSnapshot(now, clusters, links, exports, consumerFailures, pushes, certificates,
            new ProbeActivity(anyConsumed, newest, TimeSpan.FromSeconds(Math.Max(1, probes.IntervalSeconds))));
    }
}
