using MeshPortal.Core.Persistence;
using MeshPortal.Core.Reconciliation;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Exports;

/// <summary>Reads exports with their per-consumer sync state (four queries, whatever the number of exports).</summary>
public sealed class ExportQueries(IDbContextFactory<MeshPortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ExportView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadAsync(db, null, ct);
    }

    public async Task<ExportView?> GetAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await LoadAsync(db, id, ct)).SingleOrDefault();
    }

    /// <summary>
    /// What a would-be export means to its consumers (the form shows it before saving): the name each one calls and what the
    /// consumer list does in their model. Null when the exporting cluster is not registered.
    /// </summary>
    public async Task<ExportNaming?> NamingAsync(string exporter, string @namespace, string service, bool allConsumers, IReadOnlyCollection<string> consumers, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = (await db.Clusters.AsNoTracking().ToListAsync(ct)).Select(ClusterTarget.From).ToList();
        var from = clusters.FirstOrDefault(c => c.Name == exporter);
        if (from is null)
        {
            return null;
        }

        var pairs = new GlobalModelPairs();
        var chosen = clusters.Where(c => c.Id != from.Id && (allConsumers || consumers.Contains(c.Name))).ToList();
        var spec = new ExportSpec(0, from.Id, @namespace, service, ExportNames.Host(service, @namespace), "", allConsumers, [.. chosen.Select(c => c.Id)], []);
        return ExportNamingRules.Decide(spec, from, [.. chosen.Select(c => (c, pairs.Decide(from, c)))]);
    }

    internal static async Task<IReadOnlyList<ExportView>> LoadAsync(MeshPortalDbContext db, int? id, CancellationToken ct)
    {
        var query = db.Exports.AsNoTracking().Include(e => e.Ports).Include(e => e.Consumers).AsSplitQuery();
        var exports = await (id is null ? query : query.Where(e => e.Id == id)).OrderBy(e => e.Host).ToListAsync(ct);
        if (exports.Count == 0)
        {
            return [];
        }

        var clusters = (await db.Clusters.AsNoTracking().ToListAsync(ct)).ToDictionary(c => c.Id, ClusterTarget.From);
        var pairs = new GlobalModelPairs();
        var lastPush = await db.SyncRuns.AsNoTracking()
            .Where(r => r.Id == db.SyncRuns.Where(x => x.ClusterId == r.ClusterId).Max(x => x.Id))
            .Select(r => new { r.ClusterId, Push = new LastPush(r.Succeeded, r.Error, r.FinishedAt) })
            .ToDictionaryAsync(r => r.ClusterId, r => r.Push, ct);
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var sources = exports.Select(e => ExportNames.SourceOf(e.Id)).ToList();
        var managed = (await db.ManagedObjects.AsNoTracking().Where(m => sources.Contains(m.Source)).ToListAsync(ct))
            .ToLookup(m => (m.Source, m.ClusterId));
        return [.. exports.Select(e =>
        {
            var exporter = clusters.GetValueOrDefault(e.ClusterId);
            var consumerIds = e.AllConsumers ? clusters.Keys.Where(k => k != e.ClusterId) : e.Consumers.Select(c => c.ClusterId);
            var pending = string.IsNullOrEmpty(exporter?.GatewayAddress)
                ? $"Not pushed: cluster {exporter?.Name} has no known ingress gateway address yet (run its connection check)."
                : null;
            var present = consumerIds.Where(clusters.ContainsKey).ToList();
            var spec = ExportSpec.From(e);
            var naming = exporter is null
                ? null
                : ExportNamingRules.Decide(spec, exporter, [.. present.Select(cid => (clusters[cid], pairs.Decide(exporter, clusters[cid])))]);
            var consumers = present
                .Select(cid => exporter is null
                    ? ExportStatusMapper.Map(clusters[cid].Name, [.. managed[(ExportNames.SourceOf(e.Id), cid)]], pending, lastPush.GetValueOrDefault(cid))
                    : ExportStatusMapper.Map(clusters[cid].Name, [.. managed[(ExportNames.SourceOf(e.Id), cid)]], pending, lastPush.GetValueOrDefault(cid),
                        pairs.Decide(exporter, clusters[cid]), e.UpdatedAt))
                .OrderBy(c => c.Cluster, StringComparer.Ordinal)
                .ToList();
            return new ExportView(e.Id, exporter?.Name ?? "?", e.Namespace, e.Service, e.Host, e.Address, e.AllConsumers,
                spec.Ports, consumers, e.CreatedBy, e.CreatedAt, e.UpdatedAt,
                e.OwnerTeamId, e.OwnerTeamId is { } team ? teams.GetValueOrDefault(team) : null, naming);
        })];
    }
}
