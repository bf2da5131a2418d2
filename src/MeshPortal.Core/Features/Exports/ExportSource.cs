using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The "exports" desired-state source: loads clusters and exports once per push and hands them to <see cref="ExportPlanner"/>.</summary>
public sealed class ExportSource(IOptions<ExportOptions> options) : IDesiredStateSource
{
    public string Name => "exports";

    public async Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct) =>
        new ExportPlanner(await LoadSnapshotAsync(db, ExportPlanSettings.From(options.Value), ct));

    public static async Task<ExportSnapshot> LoadSnapshotAsync(MeshPortalDbContext db, ExportPlanSettings settings, CancellationToken ct)
    {
        var clusters = await db.Clusters.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
        var exports = await db.Exports.AsNoTracking().Include(e => e.Ports).Include(e => e.Consumers).AsSplitQuery().OrderBy(e => e.Id).ToListAsync(ct);
        var scope = await db.MeshSettings.AsNoTracking().Where(m => m.Id == MeshSettingsEntity.SingletonId)
            .Select(m => new { m.ClusterLocalByDefault, m.ServiceScopeUsed }).SingleOrDefaultAsync(ct);
        return new ExportSnapshot([.. clusters.Select(ClusterTarget.From)], [.. exports.Select(ExportSpec.From)],
            settings with { ClusterLocalByDefault = scope?.ClusterLocalByDefault == true, ServiceScopeUsed = scope?.ServiceScopeUsed == true });
    }
}
