namespace MeshPortal.Core.Features.Sync;

/// <summary>An object MeshPortal manages in a cluster, with its sync state (read model for the cluster page and the API).</summary>
public sealed record ManagedObjectView(
    string ApiVersion,
    string Kind,
    string? Namespace,
    string Name,
    string Source,
    ObjectSyncState State,
    string? Message,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastSyncedAt)
{
    public static ManagedObjectView From(ManagedObjectEntity m) =>
        new(m.ApiVersion, m.Kind, m.Namespace, m.Name, m.Source, m.State, m.Message, m.LastAttemptAt, m.LastSyncedAt);
}

/// <summary>One push of a cluster: when, why, what it counted, and its changes and planner notes (read model).</summary>
public sealed record SyncRunView(
    long Id,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    bool Succeeded,
    int Created,
    int Updated,
    int Deleted,
    int Unchanged,
    int Failed,
    string? Error,
    IReadOnlyList<SyncChange> Changes)
{
    public static SyncRunView From(SyncRunEntity r) => new(r.Id, r.Trigger, r.StartedAt, r.FinishedAt, r.Succeeded, r.Created, r.Updated, r.Deleted,
        r.Unchanged, r.Failed, r.Error, SyncStatusReader.Changes(r));
}
