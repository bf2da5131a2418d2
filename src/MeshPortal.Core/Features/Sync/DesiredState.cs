using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;

namespace MeshPortal.Core.Features.Sync;

/// <summary>What the planners know about the cluster they plan for (from its last connection check).</summary>
public sealed record ClusterTarget(
    int Id,
    string Name,
    string? IstioVersion,
    string? GatewayAddress,
    int? GatewayPort,
    string? IstioCoreDnsAddress,
    bool DnsProxying,
    string? DnsProvider,
    string? Network,
    CacertsDecision CacertsDecision,
    string? KubernetesVersion = null,
    MeshFacts? Mesh = null)
{
    public static ClusterTarget From(ClusterEntity c) => new(
        c.Id, c.Name, c.IstioVersion, c.GatewayAddress, c.GatewayPort, c.IstioCoreDnsAddress, c.DnsProxying, c.DnsProvider, c.Network, c.CacertsDecision,
        c.KubernetesVersion, MeshFactsJson.Deserialize(c.MeshFactsJson));
}

/// <summary>Objects read from the cluster before planning (those a planner asked for through <see cref="IClusterPlanner.Reads"/>).</summary>
public sealed class LiveObjects(IReadOnlyDictionary<ObjectRef, JsonObject?> objects)
{
    public static readonly LiveObjects Empty = new(new Dictionary<ObjectRef, JsonObject?>());

    /// <summary>The live object, or null when it does not exist (or was not read).</summary>
    public JsonObject? Get(ObjectRef reference) => objects.TryGetValue(reference, out var o) ? o : null;
}

/// <summary>
/// A pure planner for one concern over data loaded once per push: which objects must exist in a cluster. Must not do
/// I/O; everything it needs is in its constructor (from <see cref="IDesiredStateSource.LoadAsync"/>) and its arguments.
/// </summary>
public interface IClusterPlanner
{
    /// <summary>Objects this planner needs to read from the cluster first (e.g. the CoreDNS ConfigMap to merge into).</summary>
    IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster);

    /// <summary>The desired objects for this cluster, plus notes a person should see (e.g. "foreign cacerts left alone").</summary>
    PlanContribution Plan(ClusterTarget cluster, LiveObjects live);

    /// <summary>
    /// A key for everything <see cref="Plan"/> depends on for this cluster apart from the objects read from it (those are
    /// keyed by their resourceVersions): the data the planner was built with and the target. Equal keys (with equal reads
    /// and the same build) must mean an equal plan, so a push can skip planning when the key is the one its cluster's last
    /// in-sync run remembered (<see cref="PlanMemo"/>). Null, the default, means the planner is asked on every push.
    /// </summary>
    string? InputKey(ClusterTarget cluster) => null;
}

public sealed record PlanContribution(IReadOnlyList<DesiredObject> Objects, IReadOnlyList<string> Notes)
{
    public static readonly PlanContribution None = new([], []);
}

/// <summary>
/// One concern that contributes desired objects (trust, exports, DNS...). Registered in DI as
/// <c>IDesiredStateSource</c>; the push job loads every source once per run and asks each for its planner.
/// </summary>
public interface IDesiredStateSource
{
    string Name { get; }

    Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct);
}

/// <summary>
/// Work that follows a successful push of one cluster and reads what the push created there (e.g. the reader token the
/// token controller minted). Called by the push jobs; failures are logged and retried with the next push.
/// </summary>
public interface IAfterPush
{
    Task AfterPushAsync(int clusterId, CancellationToken ct);

    /// <summary>
    /// After a batch (the recurring re-check): every cluster in turn unless the step shares its reads across the batch. A
    /// failure for one cluster does not stop the others; the failures are thrown together at the end.
    /// </summary>
    async Task AfterPushAsync(IReadOnlyList<int> clusterIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        var failures = new List<Exception>();
        foreach (var id in clusterIds)
        {
            try
            {
                await AfterPushAsync(id, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(ex);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }
}
