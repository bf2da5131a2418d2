using System.Globalization;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Which exports have a consumer in a given sync state, decided as their views decide it (<c>ExportQueries.ConsumersOf</c> →
/// <see cref="ExportStatusMapper.Map"/>, whose state <see cref="ConsumerStateRule.StateOf"/> computes) from the columns the state
/// depends on alone: of each export its exporter, consumers, move phase and last change; of each managed object its export,
/// cluster and state, folded per (export, consumer) into an <see cref="ObjectsOutcome"/>. Nothing stored: the answer is as
/// fresh as the views.
/// </summary>
internal static class ExportStateFilter
{
    private const byte Any = 1, AnyFailed = 2, AnyNotSynced = 4;

    /// <param name="ids">The exports to consider; null = all.</param>
    /// <param name="clusters">Every registered cluster, projected by <c>ExportQueries.StatusColumns</c>.</param>
    /// <param name="lastPush">Each cluster's newest run.</param>
    public static async Task<HashSet<int>> WithConsumerInStateAsync(MeshPortalDbContext db, IReadOnlyCollection<int>? ids, ObjectSyncState state,
        IReadOnlyDictionary<int, ClusterTarget> clusters, IReadOnlyDictionary<int, LastPush> lastPush, CancellationToken ct)
    {
        var exportRows = db.Exports.AsNoTracking();
        var exports = await (ids is null ? exportRows : exportRows.Where(e => ids.Contains(e.Id)))
            .Select(e => new { e.Id, e.ClusterId, e.AllConsumers, e.MovePhase, e.UpdatedAt }).ToListAsync(ct);
        var chosen = (await db.Set<ExportConsumerEntity>().AsNoTracking().Select(c => new { c.ExportId, c.ClusterId }).ToListAsync(ct))
            .ToLookup(c => c.ExportId, c => c.ClusterId);
        var outcomes = await OutcomesAsync(db, ids, ct);
        var verdicts = new Dictionary<(int, int, ExportMovePhase), PairVerdict>();
        var pairs = new GlobalModelPairs();
        var others = clusters.Keys.ToList();
        var found = new HashSet<int>();
        foreach (var e in exports)
        {
            var exporter = clusters.GetValueOrDefault(e.ClusterId);
            var pending = string.IsNullOrEmpty(exporter?.GatewayAddress);
            foreach (var cid in e.AllConsumers ? others.Where(k => k != e.ClusterId) : chosen[e.Id].Where(clusters.ContainsKey))
            {
                var objects = Outcome(outcomes.GetValueOrDefault(Key(e.Id, cid)));
                var push = lastPush.GetValueOrDefault(cid);
                PairVerdict? model = null;
                if (exporter is not null && !verdicts.TryGetValue((e.ClusterId, cid, e.MovePhase), out model))
                {
                    model = pairs.DecideFor(exporter, clusters[cid], e.MovePhase);
                    verdicts.Add((e.ClusterId, cid, e.MovePhase), model);
                }

                var consumerState = exporter is null
                    ? ConsumerStateRule.StateOf(objects, pending, push)
                    : ConsumerStateRule.StateOf(objects, pending, push, model, e.UpdatedAt);
                if (consumerState == state)
                {
                    found.Add(e.Id);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// What the objects of each (export, cluster) say, as flags (<see cref="Any"/>, <see cref="AnyFailed"/>, <see cref="AnyNotSynced"/>)
    /// keyed by <see cref="Key"/>. The database folds them per source: one row per export with the ids of the clusters that have an
    /// object of it, that have a failed one and that have one not synced (group_concat in SQLite, string_agg in PostgreSQL), so what
    /// crosses into .NET is a few thousand short strings, not a row per object.
    /// </summary>
    private static async Task<Dictionary<long, byte>> OutcomesAsync(MeshPortalDbContext db, IReadOnlyCollection<int>? ids, CancellationToken ct)
    {
        var rows = db.ManagedObjects.AsNoTracking();
        if (ids is null)
        {
            rows = rows.Where(m => m.Source.StartsWith(ExportNames.SourcePrefix));
        }
        else
        {
            var sources = ids.Select(ExportNames.SourceOf).ToList();
            rows = rows.Where(m => sources.Contains(m.Source));
        }

        var folded = await rows.GroupBy(m => m.Source).Select(g => new
        {
            Source = g.Key,
            All = string.Join(",", g.Select(m => m.ClusterId.ToString())),
            Failed = string.Join(",", g.Where(m => m.State == ObjectSyncState.Failed).Select(m => m.ClusterId.ToString())),
            NotSynced = string.Join(",", g.Where(m => m.State != ObjectSyncState.Synced).Select(m => m.ClusterId.ToString())),
        }).ToListAsync(ct);
        var outcomes = new Dictionary<long, byte>();
        foreach (var row in folded)
        {
            if (ExportIdOf(row.Source) is { } exportId)
            {
                Mark(outcomes, exportId, row.All, Any);
                Mark(outcomes, exportId, row.Failed, AnyFailed);
                Mark(outcomes, exportId, row.NotSynced, AnyNotSynced);
            }
        }

        return outcomes;
    }

    /// <summary>Sets <paramref name="flag"/> on each cluster id of the comma-separated <paramref name="clusterIds"/>.</summary>
    private static void Mark(Dictionary<long, byte> outcomes, int exportId, string? clusterIds, byte flag)
    {
        foreach (var range in clusterIds.AsSpan().Split(','))
        {
            var text = clusterIds.AsSpan()[range];
            if (text.Length > 0)
            {
                var clusterId = int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(outcomes, Key(exportId, clusterId), out _) |= flag;
            }
        }
    }

    private static ObjectsOutcome Outcome(byte flags) =>
        (flags & Any) == 0 ? ObjectsOutcome.None
        : (flags & AnyFailed) != 0 ? ObjectsOutcome.Failed
        : (flags & AnyNotSynced) != 0 ? ObjectsOutcome.Waiting
        : ObjectsOutcome.Synced;

    private static long Key(int exportId, int clusterId) => ((long)exportId << 32) | (uint)clusterId;

    /// <summary>The export id of a source written by <see cref="ExportNames.SourceOf"/> ("export/12"); null for any other text.</summary>
    internal static int? ExportIdOf(string source)
    {
        if (!source.StartsWith(ExportNames.SourcePrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = source.AsSpan(ExportNames.SourcePrefix.Length);
        return digits.Length > 0 && (digits[0] != '0' || digits.Length == 1)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
    }
}
