using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Exports;

/// <summary>A would-be export for a preview: ports already chosen; <see cref="Consumers"/> null = every other cluster.</summary>
public sealed record ExportDraft(int? Id, string Cluster, string Namespace, string Service, IReadOnlyList<ExportPortSpec> Ports, IReadOnlyList<string>? Consumers);

/// <summary>What a change would do in one cluster.</summary>
public sealed record ClusterPreview(string Cluster, IReadOnlyList<ObjectChange> Changes, IReadOnlyList<string> Notes);

/// <summary>
/// Previews a change before it is saved: runs the export planners on the current and on the would-be state, per affected
/// cluster, and diffs the two plans. Live objects the planners merge into (the Corefile) are read through the gateway;
/// when a cluster cannot be read, its preview says so and uses what is known.
/// </summary>
public sealed class ExportPreviewService(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    SecretProtector secrets,
    VipAllocator vips,
    IOptions<ExportOptions> options)
{
    public async Task<IReadOnlyList<ClusterPreview>> PreviewSaveAsync(ExportDraft draft, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await ExportSource.LoadSnapshotAsync(db, ExportPlanSettings.From(options.Value), ct);
        var exporter = current.Clusters.FirstOrDefault(c => c.Name == draft.Cluster);
        if (exporter is null)
        {
            return [];
        }

        var existing = draft.Id is { } id ? current.Exports.FirstOrDefault(e => e.Id == id) : null;
        var address = existing?.Address ?? await vips.NextFreeAsync(db, ct) ?? "(range exhausted)";
        var consumerIds = draft.Consumers is null ? [] : current.Clusters.Where(c => draft.Consumers.Contains(c.Name)).Select(c => c.Id).ToList();
        var proposed = new ExportSpec(existing?.Id ?? 0, exporter.Id, draft.Namespace, draft.Service, ExportNames.Host(draft.Service, draft.Namespace),
            address, draft.Consumers is null, consumerIds, draft.Ports, existing?.Move ?? ExportMovePhase.None);
        var next = current with { Exports = [.. current.Exports.Where(e => existing is null || e.Id != existing.Id), proposed] };
        var previews = await CompareAsync(db, current, next, [exporter.Id, .. Consumers(current, existing), .. Consumers(next, proposed)], ct);
        return existing is null ? [.. previews.Select(NameNewExport)] : previews;
    }

    /// <summary>What a not-yet-saved export's objects say as their source: its id is only assigned on save.</summary>
    public const string NewExportSource = "new export";

    /// <summary>A new export has no id yet: its objects' source reads "new export" instead of the placeholder <c>export/0</c>.</summary>
    public static ClusterPreview NameNewExport(ClusterPreview preview)
    {
        var placeholder = ExportNames.SourceOf(0);
        return preview with
        {
            Changes = [.. preview.Changes.Select(c => c.Source == placeholder ? c with
            {
                Source = NewExportSource,
                Diff = [.. c.Diff.Select(line => line.EndsWith($"{ManagedLabels.Source}: {placeholder}", StringComparison.Ordinal)
                    ? line[..^placeholder.Length] + "export/<the new export's id>"
                    : line)],
            } : c)],
        };
    }

    public async Task<IReadOnlyList<ClusterPreview>> PreviewDeleteAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await ExportSource.LoadSnapshotAsync(db, ExportPlanSettings.From(options.Value), ct);
        var existing = current.Exports.FirstOrDefault(e => e.Id == id);
        if (existing is null)
        {
            return [];
        }

        var next = current with { Exports = [.. current.Exports.Where(e => e.Id != id)] };
        return await CompareAsync(db, current, next, [existing.ClusterId, .. Consumers(current, existing)], ct);
    }

    private static IEnumerable<int> Consumers(ExportSnapshot snapshot, ExportSpec? export) => export is null ? [] : snapshot.ConsumersOf(export);

    private async Task<IReadOnlyList<ClusterPreview>> CompareAsync(MeshPortalDbContext db, ExportSnapshot current, ExportSnapshot next, IEnumerable<int> clusterIds, CancellationToken ct)
    {
        var entities = await db.Clusters.AsNoTracking().ToDictionaryAsync(c => c.Id, ct);
        var before = new ExportPlanner(current);
        var after = new ExportPlanner(next);
        var previews = await Task.WhenAll(clusterIds.Distinct().Where(entities.ContainsKey).Select(async id =>
        {
            var target = ClusterTarget.From(entities[id]);
            var (live, readNote) = await ReadLiveAsync(entities[id], before.Reads(target).Union(after.Reads(target)).ToList(), ct);
            var planBefore = before.Plan(target, live);
            var planAfter = after.Plan(target, live);
            var notes = readNote is null ? planAfter.Notes : [readNote, .. planAfter.Notes];
            return new ClusterPreview(target.Name, PlanDiff.Compare(planBefore.Objects, planAfter.Objects, live), notes);
        }));
        return [.. previews.OrderBy(p => p.Cluster, StringComparer.Ordinal)];
    }

    private async Task<(LiveObjects Live, string? Note)> ReadLiveAsync(ClusterEntity cluster, IReadOnlyList<ObjectRef> reads, CancellationToken ct)
    {
        var found = new Dictionary<ObjectRef, JsonObject?>();
        try
        {
            var connection = secrets.ConnectionTo(cluster);
            foreach (var r in reads)
            {
                object? obj = r.Kind switch
                {
                    "ConfigMap" => await gateway.GetConfigMapAsync(connection, r.Namespace!, r.Name, ct),
                    "Deployment" => await gateway.GetDeploymentAsync(connection, r.Namespace!, r.Name, ct),
                    _ => null,
                };
                found[r] = obj is null ? null : JsonNode.Parse(k8s.KubernetesJson.Serialize(obj)) as JsonObject;
            }

            return (new LiveObjects(found), null);
        }
        catch (ClusterCallException ex)
        {
            return (new LiveObjects(found), $"{cluster.Name}: its DNS configuration could not be read ({ex.Message}); DNS changes are not shown.");
        }
    }
}
