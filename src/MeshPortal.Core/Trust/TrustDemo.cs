using MeshPortal.Core.Persistence;
using MeshPortal.Core.Reconciliation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Core.Trust;

/// <summary>Demo start-up: the simulated mesh trusts itself out of the box (a P-256 root, fast, generated once).</summary>
public static class TrustDemo
{
    public static async Task EnsureRootAsync(IServiceProvider services, CancellationToken ct)
    {
        var trust = services.GetRequiredService<TrustService>();
        if (await trust.HasRootAsync(ct))
        {
            return;
        }

        await trust.CreateRootAsync(new CreateRootRequest(CreateRootRequest.Generate, CaKeyType.EcdsaP256), new Audit.AuditContext("demo"), ct);
        await using var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync(ct);
        var all = await db.Clusters.Select(c => c.Id).ToListAsync(ct);
        foreach (var scheduler in services.GetServices<ISyncScheduler>())
        {
            scheduler.RequestSync(all, TrustService.SyncTrigger);
        }
    }
}
