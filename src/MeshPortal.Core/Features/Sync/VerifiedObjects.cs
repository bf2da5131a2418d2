using System.Collections.Concurrent;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// Which managed objects a push already compared field by field and found in sync, at which resourceVersion and desired
/// hash. The API server changes an object's resourceVersion on every write (a hand edit included), so an object listed
/// again at the same resourceVersion, still wanted with the same hash, needs no second field-by-field comparison: the
/// steady state then costs a string comparison per object. In memory only: after a restart everything is compared again.
/// </summary>
public sealed class VerifiedObjects
{
    private const int Limit = 500_000;
    private readonly ConcurrentDictionary<(int Cluster, ObjectKey Key), (string ResourceVersion, string Hash)> verified = new();

    public bool IsUnchanged(int clusterId, LiveManagedObject live, string hash) =>
        live.ResourceVersion is { Length: > 0 } rv && verified.TryGetValue((clusterId, live.Key), out var seen) && seen.ResourceVersion == rv && seen.Hash == hash;

    /// <summary>Records the NoOps of a plan (compared equal, or already known to be) with the live objects they were compared with.</summary>
    public void Record(int clusterId, SyncPlan plan, IReadOnlyDictionary<ObjectKey, LiveManagedObject> live)
    {
        if (verified.Count > Limit)
        {
            verified.Clear();
        }

        foreach (var action in plan.Actions)
        {
            var key = (clusterId, action.Key);
            if (action is { Kind: SyncActionKind.NoOp, Mode: ApplyMode.Owned, Hash: { } hash } && live.TryGetValue(action.Key, out var o) && o.ResourceVersion is { Length: > 0 } rv)
            {
                verified[key] = (rv, hash);
            }
            else
            {
                verified.TryRemove(key, out _);
            }
        }
    }
}
