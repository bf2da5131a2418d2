using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Core.Features.Exports;

public sealed record ExportPortSpec(string Name, int Number, string Protocol);

/// <summary>One export as the planners see it (no EF entities, so planners stay pure and previews can build would-be states).</summary>
public sealed record ExportSpec(
    int Id,
    int ClusterId,
    string Namespace,
    string Service,
    string Host,
    string Address,
    bool AllConsumers,
    IReadOnlyList<int> ConsumerIds,
    IReadOnlyList<ExportPortSpec> Ports,
    ExportMovePhase Move = ExportMovePhase.None)
{
    public string Source => ExportNames.SourceOf(Id);

    public bool IsConsumedBy(int clusterId) => clusterId != ClusterId && (AllConsumers || ConsumerIds.Contains(clusterId));

    public static ExportSpec From(ExportEntity e) => new(
        e.Id, e.ClusterId, e.Namespace, e.Service, e.Host, e.Address, e.AllConsumers,
        [.. e.Consumers.Select(c => c.ClusterId).Order()],
        [.. e.Ports.OrderBy(p => p.Number).Select(p => new ExportPortSpec(p.Name, p.Number, p.Protocol))],
        e.MovePhase);
}

/// <summary>Everything the export planners need, loaded once per push (or built in memory for a preview).</summary>
/// <remarks>
/// One snapshot serves every cluster of a batch (in parallel), so lookups are indexed and the per-cluster answers the
/// three export planners all ask for are computed once. The lists must not be changed after construction.
/// </remarks>
public sealed record ExportSnapshot
{
    private readonly Lazy<Dictionary<int, ClusterTarget>> byId;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyList<ExportSpec>> consumed;
    private readonly GlobalModelPairs pairs;

    public ExportSnapshot(IReadOnlyList<ClusterTarget> clusters, IReadOnlyList<ExportSpec> exports, ExportPlanSettings settings)
    {
        Clusters = clusters;
        Exports = exports;
        Settings = settings;
        byId = new(IndexClusters);
        consumed = new();
        pairs = new();
    }

    /// <summary>A copy made by <c>with</c> gets its own (empty) caches, computed from its own lists.</summary>
    private ExportSnapshot(ExportSnapshot original)
    {
        Clusters = original.Clusters;
        Exports = original.Exports;
        Settings = original.Settings;
        byId = new(IndexClusters);
        consumed = new();
        pairs = new();
    }

    public IReadOnlyList<ClusterTarget> Clusters { get; init; }

    public IReadOnlyList<ExportSpec> Exports { get; init; }

    public ExportPlanSettings Settings { get; init; }

    public ClusterTarget? Cluster(int id) => byId.Value.GetValueOrDefault(id);

    /// <summary>Exports this cluster consumes in the <c>.global</c> model and can carry, in a stable order.</summary>
    public IReadOnlyList<ExportSpec> ConsumedBy(int clusterId) => consumed.GetOrAdd(clusterId, id =>
        [.. Exports.Where(e => e.IsConsumedBy(id) && Carries(e, id)).OrderBy(e => e.Host, StringComparer.Ordinal)]);

    /// <summary>Exports this cluster consumes in the multi-primary model (or is moving to it), in a stable order.</summary>
    public IReadOnlyList<ExportSpec> ConsumedModernBy(int clusterId) =>
        [.. Exports.Where(e => e.IsConsumedBy(clusterId) && WritesModern(e, clusterId)).OrderBy(e => e.Host, StringComparer.Ordinal)];

    /// <summary>True when at least one consumer takes this export in the multi-primary model (or is moving to it).</summary>
    public bool HasModernConsumers(ExportSpec export) => Clusters.Any(c => export.IsConsumedBy(c.Id) && WritesModern(export, c.Id));

    /// <summary>The verdict for one export towards one consumer, in the export's move phase (<see cref="ExportMoveRules.Effective"/>).</summary>
    public PairVerdict Verdict(ExportSpec export, int consumerId) =>
        Cluster(export.ClusterId) is { } exporter && Cluster(consumerId) is { } consumer
            ? pairs.DecideFor(exporter, consumer, export.Move)
            : new PairVerdict(PairSupport.Unknown, "The exporting or the consuming cluster is not registered.");

    /// <summary>The pair runs multi-primary, or a move to it is under way (the modern objects are written beside the <c>.global</c> ones).</summary>
    private bool WritesModern(ExportSpec export, int consumerId) =>
        Verdict(export, consumerId).IsMultiPrimary
        || (export.Move == ExportMovePhase.Moving && Cluster(export.ClusterId) is { } exporter && Cluster(consumerId) is { } consumer
            && pairs.WritesModern(exporter, consumer, export.Move));

    /// <summary>The roles a cluster can play in the <c>.global</c> model (null before its mesh model was read).</summary>
    public GlobalModelRoles? Roles(ClusterTarget cluster) => pairs.Roles(cluster);

    private bool Carries(ExportSpec export, int consumerId) => Verdict(export, consumerId).IsGlobal;

    private Dictionary<int, ClusterTarget> IndexClusters() => Clusters.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());

    /// <summary>Exports of services that run in this cluster.</summary>
    public IReadOnlyList<ExportSpec> ExportedFrom(int clusterId) => [.. Exports.Where(e => e.ClusterId == clusterId)];

    /// <summary>The clusters that consume an export and can carry it (every other registered cluster for "all consumers").</summary>
    public IReadOnlyList<int> ConsumersOf(ExportSpec export) =>
        [.. Clusters.Where(c => export.IsConsumedBy(c.Id) && Carries(export, c.Id)).Select(c => c.Id)];

    /// <summary>The clusters an export names as consumers, whether or not they can carry it.</summary>
    public IReadOnlyList<int> DeclaredConsumersOf(ExportSpec export) =>
        [.. Clusters.Where(c => export.IsConsumedBy(c.Id)).Select(c => c.Id)];
}

/// <summary>Planner settings from <see cref="ExportOptions"/>.</summary>
/// <param name="ClusterLocalByDefault">the mesh setting: only exported services leave their cluster (mesh config serviceSettings).</param>
/// <param name="ServiceScopeUsed">the setting was ever on: the mesh configs are read (to remove MeshPortal's entries once off).</param>
public sealed record ExportPlanSettings(string Namespace = "meshportal-exports", bool StaticWhenIp = false, bool ClusterLocalByDefault = false, bool ServiceScopeUsed = false)
{
    public static ExportPlanSettings From(ExportOptions o) => new(o.Namespace, o.StaticWhenIp);
}
