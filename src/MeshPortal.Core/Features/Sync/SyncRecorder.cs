using System.Text.Json;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Sync;

/// <summary>Writes a push's results to the database: managed-object rows (Pending → Synced/Failed, pruned rows removed) and the sync run.</summary>
internal static class SyncRecorder
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static ObjectKey KeyOf(ManagedObjectEntity row) => ObjectKey.Of(row.ApiVersion, row.Kind, row.Namespace, row.Name);

    /// <summary>Creates or refreshes a row for every desired object; rows of objects about to be written become Pending.</summary>
    public static async Task MarkPendingAsync(MeshPortalDbContext db, int clusterId, List<ManagedObjectEntity> rows, SyncPlan plan, CancellationToken ct)
    {
        var byKey = rows.GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.First());
        foreach (var action in plan.Actions.Where(a => a.Kind != SyncActionKind.Delete))
        {
            if (!byKey.TryGetValue(action.Key, out var row))
            {
                row = new ManagedObjectEntity
                {
                    ClusterId = clusterId,
                    ApiVersion = action.Ref.ApiVersion,
                    Kind = action.Ref.Kind,
                    Namespace = action.Ref.Namespace,
                    Name = action.Ref.Name,
                    Source = action.Source,
                    DesiredHash = action.Hash ?? "",
                    State = ObjectSyncState.Pending,
                };
                db.ManagedObjects.Add(row);
                rows.Add(row);
                byKey[action.Key] = row;
            }

            var hash = action.Hash ?? "";
            if (row.ApiVersion != action.Ref.ApiVersion || row.Source != action.Source || row.DesiredHash != hash
                || (action.Writes && row.State != ObjectSyncState.Pending))
            {
                Track(db, row);
                row.ApiVersion = action.Ref.ApiVersion;
                row.Source = action.Source;
                row.DesiredHash = hash;
                if (action.Writes)
                {
                    row.State = ObjectSyncState.Pending;
                }
            }
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Final states: written and NoOp objects Synced, failures Failed with the reason, deleted and forgotten rows removed.</summary>
    public static async Task FinishAsync(MeshPortalDbContext db, int clusterId, List<ManagedObjectEntity> rows, SyncPlan plan,
        IReadOnlyList<ActionOutcome> outcomes, DateTimeOffset now, CancellationToken ct)
    {
        var byKey = rows.GroupBy(KeyOf).ToDictionary(g => g.Key, g => g.First());
        foreach (var action in plan.Actions.Where(a => a.Kind == SyncActionKind.NoOp))
        {
            if (byKey.TryGetValue(action.Key, out var row) && (row.State != ObjectSyncState.Synced || row.Message is not null))
            {
                Track(db, row);
                MarkSynced(row, now);
            }
        }

        foreach (var outcome in outcomes)
        {
            var found = byKey.TryGetValue(outcome.Action.Key, out var row);
            if (outcome.Action.Kind == SyncActionKind.Delete)
            {
                if (outcome.Succeeded && found)
                {
                    Track(db, row!);
                    db.ManagedObjects.Remove(row!);
                }
                else if (!outcome.Succeeded && found)
                {
                    Track(db, row!);
                    MarkFailed(row!, outcome.Error, now);
                }

                continue;
            }

            if (!found)
            {
                continue;
            }

            Track(db, row!);
            if (outcome.Succeeded)
            {
                MarkSynced(row!, now);
            }
            else
            {
                MarkFailed(row!, outcome.Error, now);
            }
        }

        var forget = plan.Forget.ToHashSet();
        foreach (var row in rows.Where(r => forget.Contains(KeyOf(r)) && db.Entry(r).State != EntityState.Deleted))
        {
            Track(db, row);
            db.ManagedObjects.Remove(row);
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(ct);
        }

        // Every row still Synced was confirmed by this run (written, or compared equal): the run records it
        // (SyncRunEntity.ConfirmedAt), not every row.
    }

    /// <summary>Marks every recorded row of a cluster Failed (the cluster could not be read, so nothing was compared).</summary>
    public static async Task FailAllAsync(MeshPortalDbContext db, int clusterId, string message, DateTimeOffset now, CancellationToken ct) =>
        await db.ManagedObjects.Where(m => m.ClusterId == clusterId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, ObjectSyncState.Failed).SetProperty(m => m.Message, message)
                .SetProperty(m => m.LastAttemptAt, now), ct);

    /// <summary>
    /// Adds the run and prunes the cluster's history beyond <paramref name="historyDepth"/> in one transaction (one commit:
    /// on a no-op push this is the only write).
    /// </summary>
    public static async Task<long> RecordRunAsync(MeshPortalDbContext db, SyncRunEntity run, int historyDepth, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // A run that confirmed nothing keeps the cluster's last confirmation (only the newest run is read for it, and older runs are pruned).
        run.ConfirmedAt ??= await db.SyncRuns.AsNoTracking().Where(r => r.ClusterId == run.ClusterId).OrderByDescending(r => r.Id)
            .Select(r => r.ConfirmedAt).FirstOrDefaultAsync(ct);
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(ct);
        var clusterId = run.ClusterId;
        var keep = Math.Max(1, historyDepth);
        await db.SyncRuns.Where(r => r.ClusterId == clusterId
                && r.Id <= db.Set<SyncRunEntity>().Where(x => x.ClusterId == clusterId).OrderByDescending(x => x.Id).Skip(keep).Select(x => x.Id).FirstOrDefault())
            .ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return run.Id;
    }

    public static string Changes(SyncPlan? plan, IReadOnlyList<ActionOutcome> outcomes, IEnumerable<string> notes)
    {
        var changes = new List<SyncChange>();
        changes.AddRange(notes.Select(n => new SyncChange("note", Message: n)));
        foreach (var o in outcomes.OrderBy(o => o.Action.Ref.Kind, StringComparer.Ordinal).ThenBy(o => o.Action.Ref.Namespace).ThenBy(o => o.Action.Ref.Name))
        {
            var a = o.Action;
            var verb = o.Succeeded ? a.Kind.ToString().ToLowerInvariant() : "failed";
            changes.Add(new SyncChange(verb, a.Ref.Kind, a.Ref.Namespace, a.Ref.Name, a.Source, o.Succeeded ? a.Reason : o.Error));
        }

        return JsonSerializer.Serialize(changes, Json);
    }

    public static IReadOnlyList<SyncChange> ReadChanges(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<SyncChange>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Starts tracking an untracked row before it is changed, so that only changed rows are written.</summary>
    private static void Track(MeshPortalDbContext db, ManagedObjectEntity row)
    {
        if (db.Entry(row).State == EntityState.Detached)
        {
            db.ManagedObjects.Attach(row);
        }
    }

    private static void MarkSynced(ManagedObjectEntity row, DateTimeOffset now)
    {
        row.State = ObjectSyncState.Synced;
        row.Message = null;
        row.LastAttemptAt = now;
        row.LastSyncedAt = now;
    }

    private static void MarkFailed(ManagedObjectEntity row, string? message, DateTimeOffset now)
    {
        row.State = ObjectSyncState.Failed;
        row.Message = Truncate(message ?? "failed");
        row.LastAttemptAt = now;
    }

    private static string Truncate(string s) => s.Length <= 1000 ? s : s[..1000] + "…";
}
