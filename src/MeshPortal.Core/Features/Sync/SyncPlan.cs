using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

public enum SyncActionKind
{
    NoOp,
    Create,
    Update,
    Delete,
}

/// <summary>
/// One step of a push. <see cref="Object"/> is what to apply (stamped for Owned objects) and is null for deletes;
/// <see cref="Hash"/> is the desired hash (null for deletes); <see cref="Reason"/> says why, in words.
/// </summary>
public sealed record SyncAction(SyncActionKind Kind, ObjectRef Ref, string Source, ApplyMode Mode, DesiredObject? Object, string? Hash, string Reason)
{
    public ObjectKey Key => ObjectKey.Of(Ref);

    public bool Writes => Kind != SyncActionKind.NoOp;
}

/// <summary>The result of <see cref="SyncDiffer.Plan"/>: the actions, notes for people, and recorded rows to forget.</summary>
public sealed record SyncPlan(IReadOnlyList<SyncAction> Actions, IReadOnlyList<string> Notes, IReadOnlyList<ObjectKey> Forget)
{
    public IEnumerable<SyncAction> Writes => Actions.Where(a => a.Writes);

    public int Count(SyncActionKind kind) => Actions.Count(a => a.Kind == kind);
}
