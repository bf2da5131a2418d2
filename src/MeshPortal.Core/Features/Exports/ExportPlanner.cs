using System.Security.Cryptography;
using System.Text.Json;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The exports concern: ServiceEntries, DNS for .global, the *.global passthrough, multi-primary exports and the mesh config serviceSettings, each its own pure planner.</summary>
public sealed class ExportPlanner(ExportSnapshot snapshot) : IClusterPlanner
{
    private readonly IClusterPlanner[] parts = [new ServiceEntryPlanner(snapshot), new DnsStubPlanner(snapshot), new PassthroughPlanner(snapshot), new ModernExportPlanner(snapshot), new ServiceScopePlanner(snapshot)];

    /// <summary>One hash of the whole snapshot (every cluster, export and setting the parts read), computed once per load.</summary>
    private readonly Lazy<string> snapshotKey = new(() => KeyOf(snapshot));

    public ExportSnapshot Snapshot => snapshot;

    /// <summary>The parts plan from the snapshot and the target only (and the reads, which the reconciler keys itself).</summary>
    public string? InputKey(ClusterTarget cluster) =>
        snapshotKey.Value + ":" + Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(cluster, KeyJson)));

    private static readonly JsonSerializerOptions KeyJson = new() { IncludeFields = false };

    private static string KeyOf(ExportSnapshot s) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { s.Clusters, s.Exports, s.Settings }, KeyJson)));

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => [.. parts.SelectMany(p => p.Reads(cluster)).Distinct()];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        var contributions = parts.Select(p => p.Plan(cluster, live)).ToList();
        return new PlanContribution([.. contributions.SelectMany(c => c.Objects)], [.. contributions.SelectMany(c => c.Notes)]);
    }
}
