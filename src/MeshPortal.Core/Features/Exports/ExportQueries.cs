using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Exports;

/// <summary>Reads exports with their per-consumer sync state (four queries, whatever the number of exports).</summary>
public sealed class ExportQueries(IDbContextFactory<MeshPortalDbContext> dbFactory)
{
    /// <summary>No cluster seen serving any export.</summary>
    private static readonly ILookup<int, string> NoneServed = Array.Empty<(int, string)>().ToLookup(s => s.Item1, s => s.Item2);

    public async Task<IReadOnlyList<ExportView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadAsync(db, null, ct);
    }

    /// <summary>
    /// One page of the exports <paramref name="visible"/> lets the caller see, in host order, filtered on the server. Only light columns
    /// of all exports are read to filter and cut the page; sync state is computed for the page's exports alone.
    /// </summary>
    public async Task<ExportPage> PageAsync(ExportListQuery query, Func<ExportHeader, bool> visible, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Clusters.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var headers = await db.Exports.AsNoTracking().OrderBy(e => e.Host)
            .Select(e => new { e.Id, e.ClusterId, e.Namespace, e.Service, e.Host, e.OwnerTeamId }).ToListAsync(ct);
        var matching = headers
            .Select(e => new ExportHeader(e.Id, names.GetValueOrDefault(e.ClusterId) ?? "?", e.Namespace, e.Service, e.Host, e.OwnerTeamId))
            .Where(e => query.Matches(e) && visible(e))
            .SkipWhile(e => query.AfterHost is { } after && string.CompareOrdinal(e.Host, after) <= 0);
        var page = query.Limit is { } limit ? matching.Take(limit + 1).ToList() : matching.ToList();
        var more = query.Limit is { } l && page.Count > l;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var ids = page.Select(e => e.Id).ToHashSet();
        var views = page.Count == 0 ? [] : await LoadAsync(db, null, ct, ids);
        return new ExportPage(views, more ? page[^1].Host : null);
    }

    /// <summary>
    /// One numbered page of the exports <paramref name="visible"/> lets the caller see, in host order, for the Exports page: filtered on the light
    /// columns, counted, and only the page's exports loaded with their sync state. A <see cref="ExportWindowQuery.State"/> filter needs every
    /// matching export's consumer states: those alone are computed for the matching exports (<see cref="ExportStateFilter"/>), and
    /// the page's exports are loaded whole.
    /// </summary>
    public async Task<ExportWindowPage> WindowAsync(ExportWindowQuery query, Func<ExportHeader, bool> visible, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Clusters.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var headers = await db.Exports.AsNoTracking().OrderBy(e => e.Host)
            .Select(e => new { e.Id, e.ClusterId, e.Namespace, e.Service, e.Host, e.OwnerTeamId }).ToListAsync(ct);
        var filter = new ExportListQuery(null, null, query.Cluster, query.Namespace, query.Search);
        var matching = headers
            .Select(e => new ExportHeader(e.Id, names.GetValueOrDefault(e.ClusterId) ?? "?", e.Namespace, e.Service, e.Host, e.OwnerTeamId))
            .Where(e => filter.Matches(e) && visible(e))
            .ToList();
        if (query.State is { } state)
        {
            var ids = matching.Select(e => e.Id).ToHashSet();
            var clusters = (await StatusColumns(db.Clusters.AsNoTracking()).ToListAsync(ct)).ToDictionary(c => c.Id, ClusterTarget.From);
            var withState = await ExportStateFilter.WithConsumerInStateAsync(db, ids.Count == headers.Count ? null : ids, state, clusters, await LastPushesAsync(db, ct), ct);
            var inState = matching.Where(e => withState.Contains(e.Id)).ToList();
            var w = PageWindow.Of(query.Page, query.Size, inState.Count);
            var stateIds = inState.Skip(w.Offset).Take(w.Size).Select(e => e.Id).ToHashSet();
            return new ExportWindowPage(stateIds.Count == 0 ? [] : await LoadAsync(db, null, ct, stateIds), w, matching.Count);
        }

        var window = PageWindow.Of(query.Page, query.Size, matching.Count);
        var pageIds = matching.Skip(window.Offset).Take(window.Size).Select(e => e.Id).ToHashSet();
        var views = pageIds.Count == 0 ? [] : await LoadAsync(db, null, ct, pageIds);
        return new ExportWindowPage(views, window, matching.Count);
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
    public async Task<ExportNaming?> NamingAsync(string exporter, string @namespace, string service, bool allConsumers, IReadOnlyCollection<string> consumers, CancellationToken ct,
        ExportMovePhase phase = ExportMovePhase.None)
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
        // An existing export of this service: the clusters its pushes saw serving it (none yet for a new one).
        var served = await db.ExportSources.AsNoTracking()
            .Where(s => db.Set<ExportEntity>().Any(e => e.Id == s.ExportId && e.ClusterId == from.Id && e.Namespace == @namespace && e.Service == service))
            .Select(s => s.ClusterId).ToListAsync(ct);
        return ExportNamingRules.Decide(spec, from, [.. chosen.Select(c => (c, pairs.DecideFor(from, c, phase)))], await ScopedAsync(db, ct),
            [.. clusters.Where(c => served.Contains(c.Id)).Select(c => c.Name)]);
    }

    /// <summary>The mesh setting "only exported services leave their cluster".</summary>
    private static Task<bool> ScopedAsync(MeshPortalDbContext db, CancellationToken ct) =>
        db.MeshSettings.AsNoTracking().Where(m => m.Id == MeshSettingsEntity.SingletonId).Select(m => m.ClusterLocalByDefault).SingleOrDefaultAsync(ct);

    /// <summary>The move offer and progress of one export, with the names its moving consumers call once it is done.</summary>
    internal static ExportMoveView MoveView(ExportEntity e, ClusterTarget exporter, IReadOnlyList<ClusterTarget> consumers, GlobalModelPairs pairs)
    {
        var movePairs = consumers.Select(c => pairs.MovePair(exporter, c)).ToList();
        var offer = ExportMoveRules.Offer(e.MovePhase, exporter.Name, movePairs);
        var moving = e.MovePhase == ExportMovePhase.Moved
            ? movePairs.Where(p => p.Modern is not null && p.Current.IsGlobal).Select(p => p.Consumer).ToList()
            : offer.Consumers.ToList();
        var newNames = consumers.Where(c => moving.Contains(c.Name))
            .Select(c => new ConsumerName(c.Name, ExportNamingRules.ModernHost(e.Service, e.Namespace, c.Mesh?.McsHost == true), ExportNamingRules.MultiPrimaryModel))
            .OrderBy(n => n.Cluster, StringComparer.Ordinal).ToList();
        return new ExportMoveView(e.MovePhase, offer.Offered, offer.Reason, moving, e.MoveStartedAt, e.MoveFinishedAt, e.MoveNote, newNames);
    }

    internal static async Task<IReadOnlyList<ExportView>> LoadAsync(MeshPortalDbContext db, int? id, CancellationToken ct, IReadOnlyCollection<int>? ids = null)
    {
        var query = db.Exports.AsNoTracking().Include(e => e.Ports).Include(e => e.Consumers).AsSplitQuery();
        query = id is not null ? query.Where(e => e.Id == id) : ids is not null ? query.Where(e => ids.Contains(e.Id)) : query;
        var exports = await query.OrderBy(e => e.Host).ToListAsync(ct);
        if (exports.Count == 0)
        {
            return [];
        }

        var clusters = (await StatusColumns(db.Clusters.AsNoTracking()).ToListAsync(ct)).ToDictionary(c => c.Id, ClusterTarget.From);
        var lastPush = await LastPushesAsync(db, ct);
        var scoped = await ScopedAsync(db, ct);
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name }).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var exportIds = exports.Select(e => e.Id).ToList();
        var served = (await db.ExportSources.AsNoTracking().Where(s => exportIds.Contains(s.ExportId)).Select(s => new { s.ExportId, s.ClusterId }).ToListAsync(ct))
            .Where(s => clusters.ContainsKey(s.ClusterId)).ToLookup(s => s.ExportId, s => clusters[s.ClusterId].Name);
        var sources = exports.Select(e => ExportNames.SourceOf(e.Id)).ToList();
        var managedRows = await (ids is null && id is null ? db.ManagedObjects.AsNoTracking().Where(m => m.Source.StartsWith(ExportNames.SourcePrefix))
                : db.ManagedObjects.AsNoTracking().Where(m => sources.Contains(m.Source))).ToListAsync(ct);
        SyncConfirmations.Apply(managedRows, Confirmations(lastPush));
        var managed = managedRows.ToLookup(m => (m.Source, m.ClusterId));
        var facts = new ExportViewFacts(clusters, lastPush, scoped, teams, served, managed);
        var pairs = new GlobalModelPairs();
        return [.. exports.Select(e => ViewOf(e, facts, pairs))];
    }

    /// <summary>
    /// The view of an export just created, from what its create saved and read (<paramref name="clusters"/> projected by
    /// <see cref="StatusColumns"/>): the same <see cref="ExportView"/> as <see cref="GetAsync"/> returns, reading only the
    /// newest push of each cluster, the service-scope setting and the owning team's name. A new export's id was never used
    /// (ids are not reused), so no object was written for it and no push saw it served yet: those two reads are skipped.
    /// </summary>
    internal static async Task<ExportView> CreatedViewAsync(MeshPortalDbContext db, ExportEntity saved, IEnumerable<ClusterEntity> clusters, CancellationToken ct)
    {
        var targets = clusters.ToDictionary(c => c.Id, ClusterTarget.From);
        var lastPush = await LastPushesAsync(db, ct);
        var scoped = await ScopedAsync(db, ct);
        var teams = saved.OwnerTeamId is { } owner
            ? await db.Teams.AsNoTracking().Where(t => t.Id == owner).Select(t => new { t.Id, t.Name }).ToDictionaryAsync(t => t.Id, t => t.Name, ct)
            : [];
        var facts = new ExportViewFacts(targets, lastPush, scoped, teams, NoneServed, Array.Empty<ManagedObjectEntity>().ToLookup(m => (m.Source, m.ClusterId)));
        return ViewOf(saved, facts, new GlobalModelPairs());
    }

    /// <summary>Only the cluster columns the status mapping reads (no kubeconfigs or tokens).</summary>
    internal static IQueryable<ClusterEntity> StatusColumns(IQueryable<ClusterEntity> clusters) => clusters.Select(c => new ClusterEntity
    {
        Id = c.Id, Name = c.Name, Context = "", ProtectedKubeconfig = "", Server = "", IstioVersion = c.IstioVersion,
        GatewayAddress = c.GatewayAddress, GatewayPort = c.GatewayPort, IstioCoreDnsAddress = c.IstioCoreDnsAddress,
        DnsProxying = c.DnsProxying, DnsProvider = c.DnsProvider, Network = c.Network, CacertsDecision = c.CacertsDecision,
        KubernetesVersion = c.KubernetesVersion, MeshFactsJson = c.MeshFactsJson,
    });

    /// <summary>
    /// The newest run of each cluster, with its confirmation (<see cref="SyncConfirmations"/> reads the same run): one uncorrelated
    /// GROUP BY (a subquery per run cost O(runs²) and 5 ms per create in a burst).
    /// </summary>
    private static Task<Dictionary<int, LastPush>> LastPushesAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var newest = db.Set<SyncRunEntity>().GroupBy(x => x.ClusterId).Select(g => g.Max(x => x.Id));
        return db.SyncRuns.AsNoTracking()
            .Where(r => newest.Contains(r.Id))
            .Select(r => new { r.ClusterId, Push = new LastPush(r.Succeeded, r.Error, r.FinishedAt, r.ConfirmedAt) })
            .ToDictionaryAsync(r => r.ClusterId, r => r.Push, ct);
    }

    /// <summary>Each cluster's last confirmation, from its newest run, as <see cref="SyncConfirmations.LatestAsync"/> reads it.</summary>
    private static Dictionary<int, DateTimeOffset> Confirmations(IReadOnlyDictionary<int, LastPush> lastPush) =>
        lastPush.Where(p => p.Value.ConfirmedAt is not null).ToDictionary(p => p.Key, p => p.Value.ConfirmedAt!.Value);

    /// <summary>What an export's view is computed from, besides the export itself.</summary>
    private sealed record ExportViewFacts(
        IReadOnlyDictionary<int, ClusterTarget> Clusters,
        IReadOnlyDictionary<int, LastPush> LastPush,
        bool Scoped,
        IReadOnlyDictionary<int, string> Teams,
        ILookup<int, string> Served,
        ILookup<(string Source, int ClusterId), ManagedObjectEntity> Managed);

    /// <summary>Each consumer's sync state of one export, in cluster name order.</summary>
    private static List<ConsumerStatus> ConsumersOf(ExportEntity e, ExportViewFacts facts, GlobalModelPairs pairs)
    {
        var clusters = facts.Clusters;
        var exporter = clusters.GetValueOrDefault(e.ClusterId);
        var consumerIds = e.AllConsumers ? clusters.Keys.Where(k => k != e.ClusterId) : e.Consumers.Select(c => c.ClusterId);
        var pending = string.IsNullOrEmpty(exporter?.GatewayAddress)
            ? $"Not pushed: cluster {exporter?.Name} has no known ingress gateway address yet (run its connection check)."
            : null;
        return [.. consumerIds.Where(clusters.ContainsKey)
            .Select(cid => exporter is null
                ? ExportStatusMapper.Map(clusters[cid].Name, [.. facts.Managed[(ExportNames.SourceOf(e.Id), cid)]], pending, facts.LastPush.GetValueOrDefault(cid))
                : ExportStatusMapper.Map(clusters[cid].Name, [.. facts.Managed[(ExportNames.SourceOf(e.Id), cid)]], pending, facts.LastPush.GetValueOrDefault(cid),
                    pairs.DecideFor(exporter, clusters[cid], e.MovePhase), e.UpdatedAt))
            .OrderBy(c => c.Cluster, StringComparer.Ordinal)];
    }

    private static ExportView ViewOf(ExportEntity e, ExportViewFacts facts, GlobalModelPairs pairs)
    {
        var clusters = facts.Clusters;
        var exporter = clusters.GetValueOrDefault(e.ClusterId);
        var consumerIds = e.AllConsumers ? clusters.Keys.Where(k => k != e.ClusterId) : e.Consumers.Select(c => c.ClusterId);
        var present = consumerIds.Where(clusters.ContainsKey).ToList();
        var spec = ExportSpec.From(e);
        var naming = exporter is null
            ? null
            : ExportNamingRules.Decide(spec, exporter, [.. present.Select(cid => (clusters[cid], pairs.DecideFor(exporter, clusters[cid], e.MovePhase)))], facts.Scoped, [.. facts.Served[e.Id]]);
        var consumers = ConsumersOf(e, facts, pairs);
        var move = exporter is null ? null : MoveView(e, exporter, [.. present.Select(cid => clusters[cid])], pairs);
        return new ExportView(e.Id, exporter?.Name ?? "?", e.Namespace, e.Service, e.Host, e.Address, e.AllConsumers,
            spec.Ports, consumers, e.CreatedBy, e.CreatedAt, e.UpdatedAt,
            e.OwnerTeamId, e.OwnerTeamId is { } team ? facts.Teams.GetValueOrDefault(team) : null, naming, move);
    }
}

/// <summary>What an export list is cut by: <see cref="Limit"/> exports after host <see cref="AfterHost"/>, of a cluster, namespace, or matching text.</summary>
public sealed record ExportListQuery(int? Limit = null, string? AfterHost = null, string? Cluster = null, string? Namespace = null, string? Search = null)
{
    public const int MaxLimit = 1000;

    public bool Matches(ExportHeader e) =>
        (string.IsNullOrEmpty(Cluster) || e.Cluster == Cluster)
        && (string.IsNullOrEmpty(Namespace) || e.Namespace == Namespace)
        && (string.IsNullOrEmpty(Search) || e.Host.Contains(Search, StringComparison.OrdinalIgnoreCase) || e.Service.Contains(Search, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A numbered page of the Exports page: 1-based <see cref="Page"/> of <see cref="Size"/>, filtered by cluster, namespace, text and a consumer's sync state.</summary>
public sealed record ExportWindowQuery(int? Page = null, int? Size = null, string? Cluster = null, string? Namespace = null, string? Search = null, ObjectSyncState? State = null);

/// <summary>The page's exports, where it sits in the filtered list, and how many the filters other than the sync state matched.</summary>
public sealed record ExportWindowPage(IReadOnlyList<ExportView> Items, PageWindow Window, int MatchingBeforeState);

/// <summary>The columns an export is filtered and authorised by, before its sync state is computed.</summary>
public sealed record ExportHeader(int Id, string Cluster, string Namespace, string Service, string Host, int? OwnerTeamId);

/// <summary>One page; <see cref="NextAfterHost"/> is the last host of the page when more follow, else null.</summary>
public sealed record ExportPage(IReadOnlyList<ExportView> Items, string? NextAfterHost);
