using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Per-consumer sync state of an export, from the managed objects the reconciler recorded with Source <c>export/&lt;id&gt;</c>.
/// No record yet = Pending, or Failed with the reason when the cluster's latest push failed (e.g. its API is down, so the
/// first push never got as far as recording objects); any failed object = Failed with its message; all synced = Synced; a pair
/// the <c>.global</c> model cannot carry = Unsupported with the reason, whatever was recorded. Pure.
/// </summary>
public static class ExportStatusMapper
{
    public static ConsumerStatus Map(string consumer, IReadOnlyList<ManagedObjectEntity> objects, string? pendingReason, LastPush? lastPush = null,
        PairVerdict? model = null, DateTimeOffset? exportChangedAt = null)
    {
        // What the .global model cannot carry is Unsupported whatever an earlier version wrote there (the next push prunes it).
        if (model is { Support: PairSupport.Unsupported })
        {
            return new ConsumerStatus(consumer, ObjectSyncState.Unsupported, model.Hint is null ? model.Reason : $"{model.Reason} {model.Hint}", null, null);
        }

        if (model is { IsMultiPrimary: true } && objects.Count == 0 && lastPush is { Succeeded: true } pushed
            && (exportChangedAt is null || pushed.FinishedAt >= exportChangedAt))
        {
            // Nothing to write in this consumer (it resolves the name itself): the remote secrets make the service visible.
            return new ConsumerStatus(consumer, ObjectSyncState.Synced, model.Reason, pushed.FinishedAt, pushed.FinishedAt);
        }

        if (model is { IsMultiPrimary: true })
        {
            pendingReason = null; // the exporter's gateway address is a .global matter
        }

        if (model is { Support: PairSupport.Unknown } && pendingReason is null)
        {
            pendingReason = model.Reason;
            objects = [];
        }

        if (objects.Count == 0)
        {
            if (pendingReason is null && lastPush is { Succeeded: false } failedPush)
            {
                return new ConsumerStatus(consumer, ObjectSyncState.Failed,
                    $"The last push to {consumer} failed: {failedPush.Error ?? "unknown error"}", failedPush.FinishedAt, null);
            }

            return new ConsumerStatus(consumer, ObjectSyncState.Pending, pendingReason ?? $"Waiting for the first push to {consumer}.", null, null);
        }

        var lastAttempt = objects.Max(o => o.LastAttemptAt);
        var failed = objects.FirstOrDefault(o => o.State == ObjectSyncState.Failed);
        if (failed is not null)
        {
            return new ConsumerStatus(consumer, ObjectSyncState.Failed, failed.Message ?? "The last push failed.", lastAttempt, failed.LastSyncedAt);
        }

        var lastSynced = objects.Any(o => o.LastSyncedAt is null) ? null : objects.Min(o => o.LastSyncedAt);
        return objects.All(o => o.State == ObjectSyncState.Synced)
            ? new ConsumerStatus(consumer, ObjectSyncState.Synced, objects.FirstOrDefault(o => o.Message is not null)?.Message ?? (model is { IsMultiPrimary: true } ? model.Reason : null), lastAttempt, lastSynced)
            : new ConsumerStatus(consumer, ObjectSyncState.Pending, objects.FirstOrDefault(o => o.Message is not null)?.Message ?? $"Waiting for the next push to {consumer}.", lastAttempt, lastSynced);
    }
}

/// <summary>What one consumer's managed objects of an export say, as <see cref="ExportStatusMapper.Map"/> reads them.</summary>
public enum ObjectsOutcome
{
    /// <summary>No object recorded.</summary>
    None,

    /// <summary>At least one object failed.</summary>
    Failed,

    /// <summary>Every object is synced.</summary>
    Synced,

    /// <summary>Objects recorded, none failed, not all synced.</summary>
    Waiting,
}

/// <summary>
/// The state alone of <see cref="ExportStatusMapper.Map"/>, from what decides it: whether the objects are none, any failed, all
/// synced or otherwise (their messages and times do not matter), whether the exporter waits for its gateway address, the
/// consumer's last push, the pair's verdict and when the export last changed. For filters that map thousands of pairs; the
/// tests check it against <see cref="ExportStatusMapper.Map"/> for every combination. Pure.
/// </summary>
public static class ConsumerStateRule
{
    /// <summary>What <paramref name="states"/> (the objects of one export in one consumer) say.</summary>
    public static ObjectsOutcome Outcome(IEnumerable<ObjectSyncState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var (any, waiting) = (false, false);
        foreach (var state in states)
        {
            if (state == ObjectSyncState.Failed)
            {
                return ObjectsOutcome.Failed;
            }

            any = true;
            waiting |= state != ObjectSyncState.Synced;
        }

        return !any ? ObjectsOutcome.None : waiting ? ObjectsOutcome.Waiting : ObjectsOutcome.Synced;
    }

    /// <summary>The state <see cref="ExportStatusMapper.Map"/> gives; <paramref name="pending"/> = it is given a pending reason.</summary>
    public static ObjectSyncState StateOf(ObjectsOutcome objects, bool pending, LastPush? lastPush = null, PairVerdict? model = null, DateTimeOffset? exportChangedAt = null)
    {
        if (model is { Support: PairSupport.Unsupported })
        {
            return ObjectSyncState.Unsupported;
        }

        if (model is { IsMultiPrimary: true })
        {
            if (objects == ObjectsOutcome.None && lastPush is { Succeeded: true } pushed && (exportChangedAt is null || pushed.FinishedAt >= exportChangedAt))
            {
                return ObjectSyncState.Synced;
            }

            pending = false;
        }

        if (model is { Support: PairSupport.Unknown } && !pending)
        {
            return ObjectSyncState.Pending; // the unread model is the pending reason, whatever was recorded
        }

        return objects switch
        {
            ObjectsOutcome.None => !pending && lastPush is { Succeeded: false } ? ObjectSyncState.Failed : ObjectSyncState.Pending,
            ObjectsOutcome.Failed => ObjectSyncState.Failed,
            ObjectsOutcome.Synced => ObjectSyncState.Synced,
            _ => ObjectSyncState.Pending,
        };
    }
}

/// <summary>The outcome of a cluster's most recent push (its latest sync run), and when it last confirmed the cluster's Synced objects (<see cref="SyncRunEntity.ConfirmedAt"/>).</summary>
public sealed record LastPush(bool Succeeded, string? Error, DateTimeOffset FinishedAt, DateTimeOffset? ConfirmedAt = null);
