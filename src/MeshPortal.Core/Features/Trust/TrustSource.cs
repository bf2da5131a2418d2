using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// The "trust" desired-state source: issues missing intermediates first (a cluster registered after the root was
/// created gets one on its first push), then loads every active intermediate with its key and the trusted roots into
/// a pure <see cref="TrustPlanner"/>.
/// </summary>
public sealed class TrustSource(IntermediateIssuer issuer, SecretProtector secrets, TimeProvider clock) : IDesiredStateSource
{
    public const string AwaitingSignatureNote =
        "The intermediate CA of this cluster waits for its signed certificate: download the CSR on the Trust page, have it signed by the company CA and upload the result";

    public string Name => TrustPlanner.SourceName;

    public async Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var roots = await db.MeshRoots.AsNoTracking()
            .Where(r => r.State == RootState.Active || r.State == RootState.Next)
            .OrderBy(r => r.State).ThenBy(r => r.Id).ToListAsync(ct);
        if (roots.Count == 0)
        {
            return TrustPlanner.Empty;
        }

        await issuer.EnsureAllAsync(ct);
        var intermediates = await db.ClusterIntermediates.AsNoTracking()
            .Where(i => i.State == IntermediateState.Active || i.State == IntermediateState.AwaitingSignature)
            .ToListAsync(ct);
        var trusted = roots.Select(r => r.CertificatePem).ToList();
        var rootPems = roots.ToDictionary(r => r.Id, r => r.CertificatePem);
        var bundles = new Dictionary<int, CacertsFiles>();
        var notes = new Dictionary<int, string>();
        foreach (var i in intermediates)
        {
            if (i.State == IntermediateState.Active && i.CertificatePem is not null && rootPems.TryGetValue(i.RootId, out var signingRoot))
            {
                bundles[i.ClusterId] = CacertsFiles.Build(i.CertificatePem, secrets.UnprotectCaKey(i.ProtectedPrivateKey), signingRoot, trusted);
            }
            else if (i.State == IntermediateState.AwaitingSignature)
            {
                notes[i.ClusterId] = AwaitingSignatureNote;
            }
        }

        var roots509 = roots.Select(r => X509Certificate2.CreateFromPem(r.CertificatePem)).ToList();
        var phases = await db.TrustTransitions.AsNoTracking().ToDictionaryAsync(t => t.ClusterId, t => t.Phase, ct);
        return new TrustPlanner(bundles, notes, roots509, clock.GetUtcNow(), phases);
    }
}
