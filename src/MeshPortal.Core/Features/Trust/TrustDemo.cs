using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Demo start-up wiring. The seed creates <c>cacerts</c> from one root BEFORE installing Istio, so the demo does the same: the mesh root
/// (a P-256 root, fast, generated once) exists first, the simulated clusters are installed with cacerts from it, and MeshPortal takes
/// those secrets over (Replace) with the intermediates it issues. Traffic works from the start; no root transition is needed.
/// </summary>
public static class TrustDemo
{
    /// <summary>Creates the demo root if there is none and returns the active root's certificate and private key (PEM) for the install.</summary>
    public static async Task<(string CertificatePem, string KeyPem)?> EnsureRootForInstallAsync(IServiceProvider services, CancellationToken ct)
    {
        var trust = services.GetRequiredService<TrustService>();
        if (!await trust.HasRootAsync(ct))
        {
            await trust.CreateRootAsync(new CreateRootRequest(CreateRootRequest.Generate, CaKeyType.EcdsaP256), new AuditContext("demo"), ct);
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync(ct);
        var active = await db.MeshRoots.AsNoTracking().SingleOrDefaultAsync(r => r.State == RootState.Active, ct);
        if (active?.ProtectedPrivateKey is null)
        {
            return null; // an external root: the demo clusters then run self-signed and go through a root transition
        }

        using var root = RootMaterial.Load(active, services.GetRequiredService<SecretProtector>());
        return (active.CertificatePem, CaCertificates.ExportPrivateKeyPem(root.Key!));
    }

    /// <summary>The demo clusters' install-time cacerts chains to the mesh root: MeshPortal replaces it with its own intermediates.</summary>
    public static async Task TakeOverAsync(IServiceProvider services, IEnumerable<string> clusters, CancellationToken ct)
    {
        var trust = services.GetRequiredService<TrustService>();
        foreach (var cluster in clusters)
        {
            await trust.SetDecisionAsync(cluster, CacertsDecision.Replace, new AuditContext("demo"), ct);
        }

        await using var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync(ct);
        var all = await db.Clusters.Select(c => c.Id).ToListAsync(ct);
        foreach (var scheduler in services.GetServices<ISyncScheduler>())
        {
            scheduler.RequestSync(all, TrustService.SyncTrigger);
        }
    }
}
