using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// The mesh setting "only exported services leave their cluster" (<see cref="ServiceScopePlanner"/>): read, and turned on or off
/// (audited <c>mesh.service-scope.enabled</c>/<c>disabled</c> in the same save; every cluster is pushed).
/// </summary>
public sealed class ServiceScopeService(IDbContextFactory<MeshPortalDbContext> dbFactory, ISyncScheduler sync, TimeProvider clock)
{
    public const string Trigger = "service-scope";

    public async Task<bool> IsEnabledAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MeshSettings.AsNoTracking().Where(s => s.Id == MeshSettingsEntity.SingletonId).Select(s => s.ClusterLocalByDefault).SingleOrDefaultAsync(ct);
    }

    public async Task SetEnabledAsync(bool enabled, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.MeshSettings.SingleOrDefaultAsync(s => s.Id == MeshSettingsEntity.SingletonId, ct);
        if (row is null)
        {
            row = new MeshSettingsEntity();
            db.MeshSettings.Add(row);
        }

        var changed = row.ClusterLocalByDefault != enabled;
        row.ClusterLocalByDefault = enabled;
        row.ServiceScopeUsed |= enabled;
        row.UpdatedBy = who.Describe();
        row.UpdatedAt = clock.GetUtcNow();
        if (changed)
        {
            AuditLog.Stage(db, who, new AuditEvent(enabled ? "mesh.service-scope.enabled" : "mesh.service-scope.disabled", "mesh", "service-scope",
                enabled
                    ? "Only exported services leave their cluster: MeshPortal manages mesh config serviceSettings (cluster-local by default, exported hosts listed)"
                    : "Every service is visible mesh-wide again: MeshPortal removes the serviceSettings it wrote"), row.UpdatedAt);
        }

        await db.SaveChangesAsync(ct);
        if (!changed)
        {
            return;
        }

        sync.RequestSync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), Trigger);
    }
}
