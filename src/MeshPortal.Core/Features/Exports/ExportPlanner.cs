using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The exports concern: ServiceEntries, DNS for .global, the *.global passthrough, multi-primary exports and the mesh config serviceSettings, each its own pure planner.</summary>
public sealed class ExportPlanner(ExportSnapshot snapshot) : IClusterPlanner
{
    private readonly IClusterPlanner[] parts = [new ServiceEntryPlanner(snapshot), new DnsStubPlanner(snapshot), new PassthroughPlanner(snapshot), new ModernExportPlanner(snapshot), new ServiceScopePlanner(snapshot)];

    public ExportSnapshot Snapshot => snapshot;

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => [.. parts.SelectMany(p => p.Reads(cluster)).Distinct()];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        var contributions = parts.Select(p => p.Plan(cluster, live)).ToList();
        return new PlanContribution([.. contributions.SelectMany(c => c.Objects)], [.. contributions.SelectMany(c => c.Notes)]);
    }
}
