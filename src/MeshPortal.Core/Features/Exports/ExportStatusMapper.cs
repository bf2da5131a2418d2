using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Per-consumer sync state of an export, from the managed objects the reconciler recorded with Source <c>export/&lt;id&gt;</c>.
/// The state and its cause are <see cref="ConsumerStateRule.Decide"/>'s (the one rule, which the Exports page's state filter
/// also uses); this adds what the views show besides: the message (the failed object's, the failed push's error, the pending
/// reason, the pair's reason and hint) and the last attempt and sync times. Pure.
/// </summary>
public static class ExportStatusMapper
{
    public static ConsumerStatus Map(string consumer, IReadOnlyList<ManagedObjectEntity> objects, string? pendingReason, LastPush? lastPush = null,
        PairVerdict? model = null, DateTimeOffset? exportChangedAt = null)
    {
        var cause = ConsumerStateRule.Decide(ConsumerStateRule.Outcome(objects), pendingReason is not null, lastPush, model, exportChangedAt);
        var state = cause.State();
        switch (cause)
        {
            case ConsumerStateCause.PairUnsupported:
                return new ConsumerStatus(consumer, state, model!.Hint is null ? model.Reason : $"{model.Reason} {model.Hint}", null, null);
            case ConsumerStateCause.ResolvedByItself:
                // Nothing to write in this consumer (it resolves the name itself): the remote secrets make the service visible.
                return new ConsumerStatus(consumer, state, model!.Reason, lastPush!.FinishedAt, lastPush.FinishedAt);
            case ConsumerStateCause.MeshModelUnknown:
                return new ConsumerStatus(consumer, state, model!.Reason, null, null);
            case ConsumerStateCause.ExporterNotReady:
                return new ConsumerStatus(consumer, state, pendingReason, null, null);
            case ConsumerStateCause.PushFailed:
                return new ConsumerStatus(consumer, state, $"The last push to {consumer} failed: {lastPush!.Error ?? "unknown error"}", lastPush.FinishedAt, null);
            case ConsumerStateCause.FirstPushAwaited:
                return new ConsumerStatus(consumer, state, $"Waiting for the first push to {consumer}.", null, null);
        }

        var lastAttempt = objects.Max(o => o.LastAttemptAt);
        if (cause == ConsumerStateCause.ObjectFailed)
        {
            var failed = objects.First(o => o.State == ObjectSyncState.Failed);
            return new ConsumerStatus(consumer, state, failed.Message ?? "The last push failed.", lastAttempt, failed.LastSyncedAt);
        }

        var lastSynced = objects.Any(o => o.LastSyncedAt is null) ? null : objects.Min(o => o.LastSyncedAt);
        var message = objects.FirstOrDefault(o => o.Message is not null)?.Message;
        return cause == ConsumerStateCause.ObjectsSynced
            ? new ConsumerStatus(consumer, state, message ?? (model is { IsMultiPrimary: true } ? model.Reason : null), lastAttempt, lastSynced)
            : new ConsumerStatus(consumer, state, message ?? $"Waiting for the next push to {consumer}.", lastAttempt, lastSynced);
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
/// Why a consumer of an export is in its state: the one decision behind <see cref="ExportStatusMapper.Map"/> (which adds the
/// message and times of each cause) and the Exports page's state filter (which needs the state alone). Each value carries its
/// state in its low four bits (<see cref="ConsumerStateRule.State"/>), so the filter's hot path reads it without a second switch.
/// </summary>
public enum ConsumerStateCause
{
    /// <summary>Unsupported: the pair's model cannot carry the export, whatever an earlier version wrote there (the next push prunes it).</summary>
    PairUnsupported = (1 << 4) | ObjectSyncState.Unsupported,

    /// <summary>Synced: a multi-primary consumer with nothing to write, pushed since the export last changed (the remote secrets make the service visible).</summary>
    ResolvedByItself = (2 << 4) | ObjectSyncState.Synced,

    /// <summary>Pending: the pair's mesh model was never read (and the exporter is ready), whatever was recorded.</summary>
    MeshModelUnknown = (3 << 4) | ObjectSyncState.Pending,

    /// <summary>Pending: no object recorded and the exporter waits for its gateway address (not a multi-primary matter).</summary>
    ExporterNotReady = (4 << 4) | ObjectSyncState.Pending,

    /// <summary>Failed: no object recorded and the consumer's last push failed (e.g. its API is down).</summary>
    PushFailed = (5 << 4) | ObjectSyncState.Failed,

    /// <summary>Pending: no object recorded, nothing failed.</summary>
    FirstPushAwaited = (6 << 4) | ObjectSyncState.Pending,

    /// <summary>Failed: at least one recorded object failed.</summary>
    ObjectFailed = (7 << 4) | ObjectSyncState.Failed,

    /// <summary>Synced: every recorded object is synced.</summary>
    ObjectsSynced = (8 << 4) | ObjectSyncState.Synced,

    /// <summary>Pending: objects recorded, none failed, not all synced.</summary>
    ObjectsWaiting = (9 << 4) | ObjectSyncState.Pending,
}

/// <summary>
/// A consumer's sync state, decided once from what decides it: whether its objects are none, any failed, all synced or otherwise
/// (their messages and times do not matter), whether the exporter waits for its gateway address, the consumer's last push, the
/// pair's verdict and when the export last changed. <see cref="ExportStatusMapper.Map"/> takes its state from here; filters that
/// map thousands of pairs call <see cref="StateOf"/>, which allocates nothing. Pure.
/// </summary>
public static class ConsumerStateRule
{
    /// <summary>What <paramref name="states"/> (the objects of one export in one consumer) say.</summary>
    public static ObjectsOutcome Outcome(IEnumerable<ObjectSyncState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var outcome = ObjectsOutcome.None;
        foreach (var state in states)
        {
            if ((outcome = Fold(outcome, state)) == ObjectsOutcome.Failed)
            {
                break;
            }
        }

        return outcome;
    }

    /// <summary>What <paramref name="objects"/> (of one export in one consumer) say, as <see cref="Outcome(IEnumerable{ObjectSyncState})"/> of their states.</summary>
    public static ObjectsOutcome Outcome(IReadOnlyList<ManagedObjectEntity> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var outcome = ObjectsOutcome.None;
        for (var i = 0; i < objects.Count && outcome != ObjectsOutcome.Failed; i++)
        {
            outcome = Fold(outcome, objects[i].State);
        }

        return outcome;
    }

    /// <summary>The state of <paramref name="cause"/> (its low four bits).</summary>
    public static ObjectSyncState State(this ConsumerStateCause cause) => (ObjectSyncState)((int)cause & 0xF);

    /// <summary>The state <see cref="ExportStatusMapper.Map"/> gives; <paramref name="pending"/> = it is given a pending reason.</summary>
    public static ObjectSyncState StateOf(ObjectsOutcome objects, bool pending, LastPush? lastPush = null, PairVerdict? model = null, DateTimeOffset? exportChangedAt = null) =>
        Decide(objects, pending, lastPush, model, exportChangedAt).State();

    /// <summary>Why the consumer is in its state; <paramref name="pending"/> = the exporter waits for its gateway address (a pending reason).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)] // into StateOf, the filter's hot path
    public static ConsumerStateCause Decide(ObjectsOutcome objects, bool pending, LastPush? lastPush = null, PairVerdict? model = null, DateTimeOffset? exportChangedAt = null)
    {
        if (model is { Support: PairSupport.Unsupported })
        {
            return ConsumerStateCause.PairUnsupported;
        }

        if (model is { IsMultiPrimary: true })
        {
            if (objects == ObjectsOutcome.None && lastPush is { Succeeded: true } pushed && (exportChangedAt is null || pushed.FinishedAt >= exportChangedAt))
            {
                return ConsumerStateCause.ResolvedByItself;
            }

            pending = false; // the exporter's gateway address is a .global matter
        }

        if (model is { Support: PairSupport.Unknown } && !pending)
        {
            return ConsumerStateCause.MeshModelUnknown; // the unread model is the pending reason, whatever was recorded
        }

        return objects switch
        {
            ObjectsOutcome.None => pending ? ConsumerStateCause.ExporterNotReady
                : lastPush is { Succeeded: false } ? ConsumerStateCause.PushFailed
                : ConsumerStateCause.FirstPushAwaited,
            ObjectsOutcome.Failed => ConsumerStateCause.ObjectFailed,
            ObjectsOutcome.Synced => ConsumerStateCause.ObjectsSynced,
            _ => ConsumerStateCause.ObjectsWaiting,
        };
    }

    private static ObjectsOutcome Fold(ObjectsOutcome outcome, ObjectSyncState state) =>
        state == ObjectSyncState.Failed ? ObjectsOutcome.Failed
        : state != ObjectSyncState.Synced ? ObjectsOutcome.Waiting
        : outcome == ObjectsOutcome.None ? ObjectsOutcome.Synced
        : outcome;
}

/// <summary>The outcome of a cluster's most recent push (its latest sync run), and when it last confirmed the cluster's Synced objects (<see cref="SyncRunEntity.ConfirmedAt"/>).</summary>
public sealed record LastPush(bool Succeeded, string? Error, DateTimeOffset FinishedAt, DateTimeOffset? ConfirmedAt = null);
