using System.Diagnostics;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// One level-triggered push of one cluster: load every desired-state source, read what the planners need, plan, list
/// what MeshPortal manages in the cluster, apply only the differences with server-side apply, prune what is no longer
/// desired, and record the run and each object's state. Running it twice in a row writes nothing the second time.
/// </summary>
public sealed partial class ClusterReconciler(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IEnumerable<IDesiredStateSource> sources,
    IClusterGateway gateway,
    SyncApplier applier,
    SecretProtector secrets,
    ClusterLocks locks,
    VerifiedObjects verified,
    ClusterEvents events,
    TimeProvider clock,
    IOptions<SyncOptions> options,
    ILogger<ClusterReconciler> logger,
    IEnumerable<IClusterApiUnreachable> apiUnreachable)
{
    public async Task<SyncResult> ReconcileAsync(int clusterId, string trigger, CancellationToken ct)
    {
        await using var held = await locks.AcquireAsync(clusterId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await ReconcileHeldAsync(db, clusterId, trigger, () => LoadSourcesAsync(db, ct), ct);
    }

    /// <summary>One push while the cluster's lock is held; <paramref name="load"/> yields the planners (shared by a batch).</summary>
    private async Task<SyncResult> ReconcileHeldAsync(MeshPortalDbContext db, int clusterId, string trigger, Func<Task<LoadedSources>> load, CancellationToken ct)
    {
        var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, ct);
        if (cluster is null)
        {
            return SyncResult.NotFound(clusterId);
        }

        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var run = new Attempt(cluster, trigger, started);
        try
        {
            await PushAsync(db, cluster, await load(), run, ct);
        }
        catch (ClusterCallException ex)
        {
            run.Fail(ex.Message, retryable: SyncApplier.IsClusterLevel(ex));
            if (ApiUnreachableKinds.Matches(ex))
            {
                foreach (var listener in apiUnreachable)
                {
                    listener.ApiUnreachable(cluster.Name);
                }
            }
            await SyncRecorder.FailAllAsync(db, cluster.Id, ex.Message, clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnexpected(logger, ex, cluster.Name);
            run.Fail($"The push failed unexpectedly ({ex.GetType().Name}: {ex.Message}).", retryable: false);
        }

        var entity = run.ToEntity(clock.GetUtcNow());
        var runId = await SyncRecorder.RecordRunAsync(db, entity, options.Value.HistoryDepth, CancellationToken.None);
        LogRun(logger, cluster.Name, trigger, entity.Succeeded, entity.Created, entity.Updated, entity.Deleted, entity.Unchanged, entity.Failed, watch.ElapsedMilliseconds);
        events.Publish(cluster.Name);
        return new SyncResult(cluster.Id, cluster.Name, runId, entity.Succeeded, entity.Created, entity.Updated, entity.Deleted, entity.Unchanged,
            entity.Failed, run.Notes, entity.Error, watch.Elapsed, run.Retryable)
        { ComparisonSkipped = run.ComparisonSkipped && entity.Succeeded };
    }

    /// <summary>Every source loads, or none counts: an empty answer by mistake must never prune a cluster.</summary>
    private async Task<LoadedSources> LoadSourcesAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var planners = new List<(string Name, IClusterPlanner Planner)>();
        foreach (var source in sources)
        {
            try
            {
                planners.Add((source.Name, await source.LoadAsync(db, ct)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new LoadedSources([], $"Desired state source '{source.Name}' failed to load ({ex.GetType().Name}: {ex.Message}); nothing was changed.");
            }
        }

        return new LoadedSources(planners, null);
    }

    private async Task PushAsync(MeshPortalDbContext db, ClusterEntity cluster, LoadedSources loaded, Attempt run, CancellationToken ct)
    {
        // 1. Every source loaded, or nothing happens: an empty answer by mistake must never prune a cluster.
        if (loaded.Error is not null)
        {
            run.Fail(loaded.Error, retryable: false);
            return;
        }

        // 2. MeshPortal writes only with server-side apply; a cluster without it gets nothing (and is told why).
        var ssa = KubernetesRules.ServerSideApply(cluster.KubernetesVersion);
        if (!ssa.Supported)
        {
            run.Fail($"{ssa.Reason} {ssa.Hint}", retryable: false);
            return;
        }

        var planners = loaded.Planners;

        var connection = Connect(cluster);
        var target = ClusterTarget.From(cluster);

        // 2. Discovery (also the first contact: a cluster that is down fails here) and the planners' reads.
        var served = await gateway.GetGroupVersionsAsync(connection, ct);
        var reads = new Dictionary<ObjectRef, JsonObject?>();
        await ReadAllAsync(connection, reads, [.. planners.SelectMany(p => p.Planner.Reads(target)).Distinct()], ct);
        var planInput = new LiveObjects(new Dictionary<ObjectRef, JsonObject?>(reads)); // what the planners see: the reads they asked for

        // 3. Plan (pure). A planner whose inputs are the ones the cluster's last in-sync run remembered is not asked yet: its
        // memo says what the push needs to list, read and hash. It is asked below if the cluster's digest differs after all.
        var last = await db.SyncRuns.AsNoTracking().Where(r => r.ClusterId == cluster.Id).OrderByDescending(r => r.Id)
            .Select(r => new { r.StateDigest, r.Unchanged, r.PlanMemos }).FirstOrDefaultAsync(ct);
        var remembered = last?.StateDigest is null ? new Dictionary<string, PlanMemo>() : PlanMemo.Read(last.PlanMemos);
        var parts = new List<PlanPart>(planners.Count);
        foreach (var (name, planner) in planners)
        {
            var key = planner.InputKey(target) is { } inputKey ? SyncDigest.PlanKey(name, inputKey, reads) : null;
            var part = new PlanPart(name, planner, key);
            if (key is not null && remembered.TryGetValue(name, out var memo) && memo.Key == key)
            {
                part.Remember(memo);
            }
            else if (!TryPlan(part, target, planInput, run))
            {
                return;
            }

            parts.Add(part);
        }

        // 4. What is in the cluster: everything carrying the managed-by label, and the unowned objects we merge into or create.
        // Which on-demand types to list follows from the types of the recorded rows (one small query; the rows themselves
        // are read only when the push has to compare).
        var recordedTypes = (await db.ManagedObjects.AsNoTracking().Where(m => m.ClusterId == cluster.Id)
            .Select(m => new { m.ApiVersion, m.Kind }).Distinct().ToListAsync(ct)).Select(r => (r.ApiVersion, r.Kind)).ToList();
        List<LiveManagedObject> liveManaged;
        string digest;
        while (true)
        {
            // The types are listed at once (one round trip's wait, not ten in a row) and kept in type order (the digest hashes in order).
            var types = ManagedTypes.ForOwned(served, parts.SelectMany(p => p.Memo.OwnedTypes), recordedTypes);
            var lists = await Task.WhenAll(types.Select(type => gateway.ListManagedAsync(connection, type.Group, type.Version, type.Plural, ct)));
            liveManaged = new List<LiveManagedObject>(lists.Sum(l => l.Count));
            for (var i = 0; i < types.Count; i++)
            {
                var type = types[i];
                liveManaged.AddRange(lists[i].Select(item => LiveManagedObject.From(type.Group, type.Version, type.Plural, type.Kind, item)));
            }

            await ReadAllAsync(connection, reads, [.. parts.SelectMany(p => p.Memo.Unowned).Where(r => !reads.ContainsKey(r)).Distinct()], ct);

            // 5. Nothing planned or observed changed since the cluster's last run found everything in sync (the digest is stored in
            // the database, so this holds after a restart and across replicas): nothing to compare, every row stays Synced.
            digest = SyncDigest.Of([.. parts.Select(p => p.Memo.Hash)], liveManaged, reads);
            if (last is { StateDigest: { } previous } && previous == digest)
            {
                KeepPlans(run, parts);
                run.Unchanged = last.Unchanged;
                run.Digest = digest;
                run.ComparisonSkipped = true;
                run.Confirmed = true;
                return;
            }

            // The comparison needs every object: ask the planners that were remembered. Equal inputs give an equal plan, so what
            // was listed and read covers it; a plan that differs from its memo anyway is listed and read again with every plan.
            var unsure = false;
            foreach (var part in parts.Where(p => !p.IsPlanned))
            {
                var memo = part.Memo;
                if (!TryPlan(part, target, planInput, run))
                {
                    return;
                }

                if (part.Memo.Hash != memo.Hash)
                {
                    LogMemoMismatch(logger, part.Name, cluster.Name);
                    unsure = true;
                }
            }

            if (!unsure)
            {
                break;
            }
        }

        KeepPlans(run, parts);
        var desired = parts.SelectMany(p => p.Objects).ToList();

        // Untracked: only rows that change are attached, so a steady state costs no per-row work in EF.
        var rows = await db.ManagedObjects.AsNoTracking().Where(m => m.ClusterId == cluster.Id).ToListAsync(ct);
        var plan = SyncDiffer.Plan(desired, liveManaged, new LiveObjects(reads), rows.Select(SyncRecorder.KeyOf),
            (live, hash) => verified.IsUnchanged(cluster.Id, live, hash));
        var liveByKey = new Dictionary<ObjectKey, LiveManagedObject>();
        foreach (var o in liveManaged)
        {
            liveByKey.TryAdd(o.Key, o);
        }

        verified.Record(cluster.Id, plan, liveByKey);
        run.Notes.AddRange(plan.Notes);
        run.Plan = plan;

        // 6. Apply only the differences, recording Pending first and the outcome after.
        await SyncRecorder.MarkPendingAsync(db, cluster.Id, rows, plan, ct);
        var (outcomes, clusterError) = await applier.ApplyAsync(connection, plan, options.Value.ApplyConcurrency, ct);
        run.Outcomes = outcomes;
        await SyncRecorder.FinishAsync(db, cluster.Id, rows, plan, outcomes, clock.GetUtcNow(), CancellationToken.None);
        run.Confirmed = true;
        if (clusterError is not null)
        {
            run.Fail(clusterError.Message, retryable: true);
        }
        else if (outcomes.Any(o => !o.Succeeded))
        {
            run.Fail($"{outcomes.Count(o => !o.Succeeded)} object(s) could not be written; see the objects for the reasons.", retryable: false);
        }
        else if (!plan.Writes.Any() && plan.Notes.Count == 0)
        {
            run.Digest = digest; // everything was in sync and every row now says so: the next push may skip the comparison
        }
    }

    private ClusterConnection Connect(ClusterEntity cluster) => secrets.ConnectionTo(cluster);

    /// <summary>The planners' notes and memos go on the run, whether it compared every object or knew them unchanged.</summary>
    private static void KeepPlans(Attempt run, List<PlanPart> parts)
    {
        run.Notes.AddRange(parts.SelectMany(p => p.Memo.Notes));
        run.Memos = PlanPart.Memos(parts);
    }

    /// <summary>Asks one planner; a planner that throws fails the run and nothing is changed.</summary>
    private static bool TryPlan(PlanPart part, ClusterTarget target, LiveObjects live, Attempt run)
    {
        try
        {
            part.Planned(part.Planner.Plan(target, live));
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            run.Fail($"Planner '{part.Name}' failed ({ex.GetType().Name}: {ex.Message}); nothing was changed.", retryable: false);
            return false;
        }
    }

    /// <summary>One planner's share of a push: its objects once asked, and its memo (remembered, or of what it planned).</summary>
    private sealed class PlanPart(string name, IClusterPlanner planner, string? key)
    {
        private PlanContribution? contribution;
        private PlanMemo? memo;

        public string Name => name;
        public IClusterPlanner Planner => planner;
        public string? Key => key;
        public bool IsPlanned => contribution is not null;
        public PlanMemo Memo => memo ?? throw new InvalidOperationException("Neither planned nor remembered.");
        public IReadOnlyList<DesiredObject> Objects => contribution?.Objects ?? throw new InvalidOperationException("Not planned.");

        public void Remember(PlanMemo remembered) => memo = remembered;

        public void Planned(PlanContribution planned)
        {
            contribution = planned;
            memo = PlanMemo.Of(key ?? "", planned);
        }

        /// <summary>The memos a run stores: those of keyed planners (the others are asked on every push).</summary>
        public static Dictionary<string, PlanMemo> Memos(IEnumerable<PlanPart> parts) =>
            parts.Where(p => p.Key is not null).ToDictionary(p => p.Name, p => p.Memo);
    }

    /// <summary>GETs the objects at once and adds them to <paramref name="reads"/> in the order given (the digest hashes in that order).</summary>
    private async Task ReadAllAsync(ClusterConnection connection, Dictionary<ObjectRef, JsonObject?> reads, IReadOnlyList<ObjectRef> references, CancellationToken ct)
    {
        var bodies = await Task.WhenAll(references.Select(reference => gateway.GetObjectAsync(connection, reference, ct)));
        for (var i = 0; i < references.Count; i++)
        {
            reads[references[i]] = bodies[i];
        }
    }

    /// <summary>The state of one run while it is being built.</summary>
    private sealed class Attempt(ClusterEntity cluster, string trigger, DateTimeOffset started)
    {
        public List<string> Notes { get; } = [];
        public SyncPlan? Plan { get; set; }
        public IReadOnlyList<ActionOutcome> Outcomes { get; set; } = [];
        public string? Error { get; private set; }
        public bool Retryable { get; private set; }

        /// <summary>Set when the run found (or, skipping the comparison, knew) the cluster in sync; stored only if it succeeds.</summary>
        public string? Digest { get; set; }

        /// <summary>Objects in sync when the comparison was skipped (the count of the run that stored the digest).</summary>
        public int Unchanged { get; set; }

        public bool ComparisonSkipped { get; set; }

        /// <summary>The keyed planners' memos, stored with the digest.</summary>
        public Dictionary<string, PlanMemo>? Memos { get; set; }

        /// <summary>The run compared (or knew unchanged) every object: every row still Synced is confirmed at its finish.</summary>
        public bool Confirmed { get; set; }

        public void Fail(string error, bool retryable)
        {
            Error ??= error;
            Retryable |= retryable;
        }

        public SyncRunEntity ToEntity(DateTimeOffset finished)
        {
            int Done(SyncActionKind kind) => Outcomes.Count(o => o.Succeeded && o.Action.Kind == kind);
            return new SyncRunEntity
            {
                ClusterId = cluster.Id,
                Trigger = trigger,
                StartedAt = started,
                FinishedAt = finished,
                Succeeded = Error is null,
                Created = Done(SyncActionKind.Create),
                Updated = Done(SyncActionKind.Update),
                Deleted = Done(SyncActionKind.Delete),
                Unchanged = Plan?.Count(SyncActionKind.NoOp) ?? Unchanged,
                Failed = Outcomes.Count(o => !o.Succeeded),
                Error = Error,
                ChangesJson = SyncRecorder.Changes(Plan, Outcomes, Notes),
                StateDigest = Error is null ? Digest : null,
                ConfirmedAt = Confirmed ? finished : null,
                PlanMemos = Error is null && Digest is not null && Memos is { Count: > 0 } ? PlanMemo.Write(Memos) : null,
            };
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync of {Cluster} ({Trigger}): succeeded {Succeeded}; created {Created}, updated {Updated}, deleted {Deleted}, unchanged {Unchanged}, failed {Failed} in {Ms} ms")]
    private static partial void LogRun(ILogger logger, string cluster, string trigger, bool succeeded, int created, int updated, int deleted, int unchanged, int failed, long ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Planner {Planner} planned differently for {Cluster} than it remembered for the same inputs; its input key misses something (the push listed and compared again with every plan)")]
    private static partial void LogMemoMismatch(ILogger logger, string planner, string cluster);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of {Cluster} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string cluster);
}


