using MeshPortal.Core.Features.Clusters;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Exports;

public sealed partial class ExportService
{
    /// <summary>
    /// Checks a would-be export exactly as <see cref="CreateAsync"/> does (names, cluster, consumers, duplicate, the service's
    /// ports read from its cluster) and returns it as a draft for <see cref="ExportPreviewService"/>, saving nothing.
    /// </summary>
    public async Task<(ExportDraft? Draft, ExportSaveResult? Failure)> DraftAsync(ExportRequest request, CancellationToken ct)
    {
        var errors = ExportValidator.Validate(request);
        if (errors.Count > 0)
        {
            return (null, ExportSaveResult.Fail(ExportFailureKind.Invalid, errors));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        var exporter = clusters.SingleOrDefault(c => c.Name == request.Cluster);
        if (exporter is null)
        {
            return (null, ExportSaveResult.Fail(ExportFailureKind.Invalid, "cluster", $"No cluster named '{request.Cluster}' is registered. GET /api/v1/clusters lists the registered clusters."));
        }

        ResolveConsumers(request.Consumers, clusters, out var unknown);
        if (unknown is not null)
        {
            return (null, ExportSaveResult.Fail(ExportFailureKind.Invalid, "consumers", unknown));
        }

        var host = ExportNames.Host(request.Service!, request.Namespace!);
        if (await DuplicateAsync(db, exporter.Id, request.Namespace!, request.Service!, host, clusters, ct) is { } duplicate)
        {
            return (null, ExportSaveResult.Fail(ExportFailureKind.Conflict, "service", duplicate));
        }

        var (ports, failure) = await ReadPortsAsync(exporter, request.Namespace!, request.Service!, request.Ports, ct);
        return failure is not null
            ? (null, failure)
            : (new ExportDraft(null, exporter.Name, request.Namespace!, request.Service!, ports, request.Consumers), null);
    }

    /// <summary>
    /// Why Save would refuse this export as already exported (the same check as <see cref="CreateAsync"/>), or null; an
    /// edited export (<paramref name="id"/>) does not conflict with itself. Lets a preview show the conflict instead of a clean plan.
    /// </summary>
    public async Task<string?> ConflictAsync(int? id, string cluster, string ns, string service, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        var exporter = clusters.SingleOrDefault(c => c.Name == cluster);
        return exporter is null ? null : await DuplicateAsync(db, exporter.Id, ns, service, ExportNames.Host(service, ns), clusters, ct, id);
    }
}
