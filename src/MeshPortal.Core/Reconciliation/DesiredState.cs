using System.Text.Json.Nodes;
using MeshPortal.Core.Persistence;

namespace MeshPortal.Core.Reconciliation;

/// <summary>
/// Identifies a Kubernetes object: API group ("" for core), version, plural resource name, kind, namespace (null for
/// cluster-scoped) and name.
/// </summary>
public sealed record ObjectRef(string Group, string Version, string Plural, string Kind, string? Namespace, string Name)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind} {Namespace}/{Name}";
}

/// <summary>How the reconciler treats a desired object.</summary>
public enum ApplyMode
{
    /// <summary>
    /// MeshPortal owns the object: it carries <c>app.kubernetes.io/managed-by: meshportal</c>, is server-side applied
    /// (field manager <c>meshportal</c>, force) and is pruned once no planner produces it.
    /// </summary>
    Owned,

    /// <summary>
    /// MeshPortal sets some fields of an object it does not own (e.g. the CoreDNS Corefile): server-side applied with
    /// only those fields, never labelled, never deleted. The planner emits the cleaned-up version itself when its
    /// fields are no longer needed.
    /// </summary>
    Merge,

    /// <summary>Created when missing (e.g. a Namespace), never updated, labelled or deleted.</summary>
    CreateOnly,
}

/// <summary>
/// One object a cluster should contain. <see cref="Body"/> is the manifest to server-side apply (apiVersion, kind,
/// metadata, spec/data; for <see cref="ApplyMode.Owned"/> the planner adds the managed-by label); <see cref="Source"/>
/// says why it exists ("trust", "dns", "passthrough", "export/&lt;id&gt;").
/// </summary>
public sealed record DesiredObject(ObjectRef Ref, JsonObject Body, string Source, ApplyMode Mode = ApplyMode.Owned);

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
    MeshModel.MeshFacts? Mesh = null)
{
    public static ClusterTarget From(ClusterEntity c) => new(
        c.Id, c.Name, c.IstioVersion, c.GatewayAddress, c.GatewayPort, c.IstioCoreDnsAddress, c.DnsProxying, c.DnsProvider, c.Network, c.CacertsDecision,
        c.KubernetesVersion, MeshModel.MeshFactsJson.Deserialize(c.MeshFactsJson));
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
}

/// <summary>Asks for a push of the clusters whose desired state changed (enqueues one job per cluster).</summary>
public interface ISyncScheduler
{
    void RequestSync(IEnumerable<int> clusterIds, string trigger);
}

public static class ManagedLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "meshportal";
    public const string FieldManager = "meshportal";

    /// <summary>Annotation holding the hash of the desired object, so an unchanged object costs no write.</summary>
    public const string DesiredHash = "meshportal.io/desired-hash";

    /// <summary>Annotation naming the source that produced the object ("trust", "export/12", ...).</summary>
    public const string Source = "meshportal.io/source";
}
