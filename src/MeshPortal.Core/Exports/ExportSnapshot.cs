using MeshPortal.Core.Persistence;
using MeshPortal.Core.Reconciliation;

namespace MeshPortal.Core.Exports;

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
    IReadOnlyList<ExportPortSpec> Ports)
{
    public string Source => ExportNames.SourceOf(Id);

    public bool IsConsumedBy(int clusterId) => clusterId != ClusterId && (AllConsumers || ConsumerIds.Contains(clusterId));

    public static ExportSpec From(ExportEntity e) => new(
        e.Id, e.ClusterId, e.Namespace, e.Service, e.Host, e.Address, e.AllConsumers,
        [.. e.Consumers.Select(c => c.ClusterId).Order()],
        [.. e.Ports.OrderBy(p => p.Number).Select(p => new ExportPortSpec(p.Name, p.Number, p.Protocol))]);
}

/// <summary>Everything the export planners need, loaded once per push (or built in memory for a preview).</summary>
public sealed record ExportSnapshot(IReadOnlyList<ClusterTarget> Clusters, IReadOnlyList<ExportSpec> Exports, ExportPlanSettings Settings)
{
    public ClusterTarget? Cluster(int id) => Clusters.FirstOrDefault(c => c.Id == id);

    /// <summary>Exports this cluster consumes, in a stable order.</summary>
    public IReadOnlyList<ExportSpec> ConsumedBy(int clusterId) =>
        [.. Exports.Where(e => e.IsConsumedBy(clusterId) && Cluster(e.ClusterId) is not null).OrderBy(e => e.Host, StringComparer.Ordinal)];

    /// <summary>Exports of services that run in this cluster.</summary>
    public IReadOnlyList<ExportSpec> ExportedFrom(int clusterId) => [.. Exports.Where(e => e.ClusterId == clusterId)];

    /// <summary>The clusters that consume an export (every other registered cluster for "all consumers").</summary>
    public IReadOnlyList<int> ConsumersOf(ExportSpec export) =>
        [.. Clusters.Where(c => export.IsConsumedBy(c.Id)).Select(c => c.Id)];
}

/// <summary>Planner settings from <see cref="ExportOptions"/>.</summary>
public sealed record ExportPlanSettings(string Namespace = "meshportal-exports", bool StaticWhenIp = false)
{
    public static ExportPlanSettings From(ExportOptions o) => new(o.Namespace, o.StaticWhenIp);
}
