using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The fields of an export recorded in the audit log before and after a change (no secrets in an export).</summary>
public sealed record ExportAuditShape(string Cluster, string Namespace, string Service, string Host, string Address, IReadOnlyList<int> Ports, string Consumers)
{
    public static ExportAuditShape Of(ExportEntity export, IReadOnlyList<ClusterEntity> clusters) => new(
        clusters.FirstOrDefault(c => c.Id == export.ClusterId)?.Name ?? export.ClusterId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        export.Namespace,
        export.Service,
        export.Host,
        export.Address,
        [.. export.Ports.Select(p => p.Number).Order()],
        export.AllConsumers
            ? "all other clusters"
            : string.Join(", ", export.Consumers.Select(c => clusters.FirstOrDefault(x => x.Id == c.ClusterId)?.Name ?? c.ClusterId.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order()));
}
