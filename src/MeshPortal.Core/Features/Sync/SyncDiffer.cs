using System.Text;
using System.Text.Json.Nodes;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// Pure comparison of what a cluster should contain with what it contains:
/// <list type="bullet">
/// <item>Owned: stamped with the managed-by label, the source and the desired-hash annotations; created when missing,
/// updated when the live hash differs or a desired field was changed in the cluster, deleted once no planner
/// produces it (only objects that carry the managed-by label are ever seen here, so nothing else is deleted).</item>
/// <item>Merge: applied when a desired field differs from the live object; never labelled or deleted.</item>
/// <item>CreateOnly: created when missing; nothing else.</item>
/// </list>
/// A cluster already in the desired state gets only NoOps.
/// </summary>
public static class SyncDiffer
{
    /// <param name="desired">Objects from every planner, in planner order (a duplicate key keeps the first and adds a note).</param>
    /// <param name="liveManaged">Live objects carrying the managed-by label.</param>
    /// <param name="liveOthers">Live state of Merge/CreateOnly objects (null = missing).</param>
    /// <param name="recorded">Keys of the objects recorded as managed in the database for this cluster.</param>
    /// <param name="unchangedSinceVerified">
    /// Optional: true when a live Owned object carrying the desired hash is known not to have changed since a push compared
    /// it field by field (see <see cref="VerifiedObjects"/>); it is then not compared again.
    /// </param>
    public static SyncPlan Plan(
        IReadOnlyList<DesiredObject> desired,
        IReadOnlyList<LiveManagedObject> liveManaged,
        LiveObjects liveOthers,
        IEnumerable<ObjectKey> recorded,
        Func<LiveManagedObject, string, bool>? unchangedSinceVerified = null)
    {
        var notes = new List<string>();
        var actions = new List<SyncAction>();
        var live = new Dictionary<ObjectKey, LiveManagedObject>();
        foreach (var o in liveManaged)
        {
            live.TryAdd(o.Key, o);
        }

        var wanted = new Dictionary<ObjectKey, DesiredObject>();
        foreach (var d in desired)
        {
            var key = ObjectKey.Of(d.Ref);
            if (wanted.TryGetValue(key, out var first))
            {
                // "Make sure it exists" (CreateOnly) and "set these fields" (Merge, which creates it when missing) agree: the Merge
                // does both. Any other pair is a conflict between planners: the first wins and a person is told.
                if (first.Mode == ApplyMode.CreateOnly && d.Mode == ApplyMode.Merge)
                {
                    wanted[key] = d;
                }
                else if (!(first.Mode == ApplyMode.Merge && d.Mode == ApplyMode.CreateOnly))
                {
                    notes.Add($"{d.Ref} is produced by both '{first.Source}' and '{d.Source}'; '{first.Source}' wins.");
                }

                continue;
            }

            wanted.Add(key, d);
        }

        foreach (var (key, d) in wanted)
        {
            actions.Add(d.Mode switch
            {
                ApplyMode.Owned => PlanOwned(Stamp(d), live.GetValueOrDefault(key), unchangedSinceVerified),
                ApplyMode.Merge => PlanMerge(d, liveOthers.Get(d.Ref)),
                _ => PlanCreateOnly(d, liveOthers.Get(d.Ref)),
            });
        }

        foreach (var (key, o) in live)
        {
            if (!wanted.ContainsKey(key))
            {
                actions.Add(new SyncAction(SyncActionKind.Delete, o.Ref, o.Source ?? "", ApplyMode.Owned, null, null, "no longer desired"));
            }
        }

        var forget = recorded.Where(k => !wanted.ContainsKey(k) && !live.ContainsKey(k)).Distinct().ToList();
        return new SyncPlan(actions, notes, forget);
    }

    /// <summary>
    /// The Owned object as applied: apiVersion/kind/name/namespace from its reference, the managed-by label, the source
    /// annotation and the hash of all that; a Secret's stringData becomes data (the API server only returns data).
    /// </summary>
    /// <remarks>
    /// Memoised by the input (reference, source and the body exactly as the planner wrote it): a steady-state push re-plans
    /// every object, and the same export yields the same body in every consumer cluster. The stamped body is shared, so it
    /// must be treated as read-only (the reconciler only serialises it). Secrets are never kept in the memo.
    /// </remarks>
    public static (DesiredObject Object, string Hash) Stamp(DesiredObject d)
    {
        if (d.Ref is { Group: "", Kind: "Secret" })
        {
            return StampUncached(d);
        }

        var key = string.Join('\u001f', d.Ref.ApiVersion, d.Ref.Plural, d.Ref.Kind, d.Ref.Namespace, d.Ref.Name, d.Source, d.Body.ToJsonString());
        if (StampMemo.TryGetValue(key, out var hit))
        {
            return (d with { Body = hit.Body }, hit.Hash);
        }

        var stamped = StampUncached(d);
        if (StampMemo.Count >= StampMemoLimit)
        {
            StampMemo.Clear();
        }

        StampMemo[key] = (stamped.Object.Body, stamped.Hash);
        return stamped;
    }

    private const int StampMemoLimit = 20_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (JsonObject Body, string Hash)> StampMemo = new(StringComparer.Ordinal);

    private static (DesiredObject Object, string Hash) StampUncached(DesiredObject d)
    {
        var body = Normalize(d);
        var meta = (JsonObject)body["metadata"]!;
        var labels = meta["labels"] as JsonObject ?? [];
        meta["labels"] = labels;
        labels[ManagedLabels.ManagedBy] = ManagedLabels.ManagedByValue;
        var annotations = meta["annotations"] as JsonObject ?? [];
        meta["annotations"] = annotations;
        annotations[ManagedLabels.Source] = d.Source;
        annotations.Remove(ManagedLabels.DesiredHash);
        var hash = DesiredHashing.Hash(body);
        annotations[ManagedLabels.DesiredHash] = hash;
        return (d with { Body = body }, hash);
    }

    /// <summary>A copy of the body with identity fields from the reference (and no status).</summary>
    public static JsonObject Normalize(DesiredObject d)
    {
        var body = (JsonObject)d.Body.DeepClone();
        body.Remove("status");
        body["apiVersion"] = d.Ref.ApiVersion;
        body["kind"] = d.Ref.Kind;
        var meta = body["metadata"] as JsonObject ?? [];
        body["metadata"] = meta;
        meta["name"] = d.Ref.Name;
        if (d.Ref.Namespace is null)
        {
            meta.Remove("namespace");
        }
        else
        {
            meta["namespace"] = d.Ref.Namespace;
        }

        if (d.Ref is { Group: "", Kind: "Secret" } && body["stringData"] is JsonObject stringData)
        {
            var data = body["data"] as JsonObject ?? [];
            foreach (var (k, v) in stringData)
            {
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)v ?? ""));
            }

            body.Remove("stringData");
            body["data"] = data;
        }

        return body;
    }

    private static SyncAction PlanOwned((DesiredObject Object, string Hash) stamped, LiveManagedObject? live, Func<LiveManagedObject, string, bool>? unchangedSinceVerified)
    {
        var (d, hash) = stamped;
        if (live is null)
        {
            return new SyncAction(SyncActionKind.Create, d.Ref, d.Source, d.Mode, d, hash, "missing");
        }

        if (live.DesiredHash != hash)
        {
            return new SyncAction(SyncActionKind.Update, d.Ref, d.Source, d.Mode, d, hash, "desired state changed");
        }

        if (unchangedSinceVerified?.Invoke(live, hash) == true)
        {
            return new SyncAction(SyncActionKind.NoOp, d.Ref, d.Source, d.Mode, d, hash, "in sync");
        }

        return Compare(d, live.Body) is { } diff
            ? new SyncAction(SyncActionKind.Update, d.Ref, d.Source, d.Mode, d, hash, $"changed in the cluster ({diff})")
            : new SyncAction(SyncActionKind.NoOp, d.Ref, d.Source, d.Mode, d, hash, "in sync");
    }

    private static SyncAction PlanMerge(DesiredObject d, JsonObject? live)
    {
        var body = Normalize(d);
        var merged = d with { Body = body };
        var hash = DesiredHashing.Hash(body);
        if (live is null)
        {
            return new SyncAction(SyncActionKind.Create, d.Ref, d.Source, d.Mode, merged, hash, "missing");
        }

        return Compare(merged, live) is { } diff
            ? new SyncAction(SyncActionKind.Update, d.Ref, d.Source, d.Mode, merged, hash, $"differs at {diff}")
            : new SyncAction(SyncActionKind.NoOp, d.Ref, d.Source, d.Mode, merged, hash, "in sync");
    }

    private static SyncAction PlanCreateOnly(DesiredObject d, JsonObject? live)
    {
        var body = Normalize(d);
        var hash = DesiredHashing.Hash(body);
        return live is null
            ? new SyncAction(SyncActionKind.Create, d.Ref, d.Source, d.Mode, d with { Body = body }, hash, "missing")
            : new SyncAction(SyncActionKind.NoOp, d.Ref, d.Source, d.Mode, d with { Body = body }, hash, "exists");
    }

    /// <summary>Compares every desired field except apiVersion (the live object may be read at another version).</summary>
    private static string? Compare(DesiredObject d, JsonObject live)
    {
        foreach (var (key, value) in d.Body)
        {
            if (key != "apiVersion" && JsonSubset.FirstDifference(value, live[key], key) is { } diff)
            {
                return diff;
            }
        }

        return null;
    }
}
