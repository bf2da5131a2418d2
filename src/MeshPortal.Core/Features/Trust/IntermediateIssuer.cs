using System.Security.Cryptography;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Issues cluster intermediates: for every registered cluster without an active one (root created, cluster registered
/// later), and on re-issue (new key, same root). With an external root it creates the key and a CSR instead and waits
/// for the signed certificate. Issuing is serialised in this process, and across replicas by a shared lock (PostgreSQL),
/// so two pushes never issue twice for one cluster.
/// </summary>
public sealed partial class IntermediateIssuer(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    SecretProtector secrets,
    TimeProvider clock,
    IOptions<TrustOptions> options,
    ILogger<IntermediateIssuer> logger,
    IssuanceProgress? progress = null,
    ClusterLocks? locks = null)
{
    private readonly ClusterLocks locks = locks ?? new ClusterLocks();

    /// <summary>The issuing lock (one id in the Trust scope): in this process and, on PostgreSQL, across replicas.</summary>
    private Task<IAsyncDisposable> IssuingLockAsync(CancellationToken ct) => locks.AcquireAsync(ClusterLockScope.Trust, 0, ct);

    /// <summary>Progress of the current or last batch (idle when no progress tracker is wired).</summary>
    public IssuanceSnapshot Progress => progress?.Current ?? IssuanceSnapshot.Idle;

    /// <summary>Issues for every cluster lacking an active (or awaited) intermediate; returns the ids of the clusters that got one.</summary>
    public async Task<IReadOnlyList<int>> EnsureAllAsync(CancellationToken ct)
    {
        await using var issuing = await IssuingLockAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var signing = await SigningRootAsync(db, ct);
        if (signing is null)
        {
            return [];
        }

        var covered = await db.ClusterIntermediates
            .Where(i => i.State == IntermediateState.Active || (i.State == IntermediateState.AwaitingSignature && i.RootId == signing.Id))
            .Select(i => i.ClusterId).Distinct().ToListAsync(ct);
        var missing = await db.Clusters.Where(c => !covered.Contains(c.Id)).ToListAsync(ct);
        if (missing.Count == 0)
        {
            return [];
        }

        await IssueAsync(db, signing, missing, ct);
        return missing.Select(c => c.Id).ToList();
    }

    /// <summary>New key and certificate (or CSR) for the given clusters from the signing root; the old intermediates are superseded.</summary>
    /// <param name="fromRootId">Sign with this root instead (root rotation, phase 2: switch to the next root).</param>
    public async Task<IReadOnlyList<int>> ReissueAsync(IReadOnlyCollection<int> clusterIds, CancellationToken ct, int? fromRootId = null)
    {
        await using var issuing = await IssuingLockAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var signing = fromRootId is { } id ? await db.MeshRoots.SingleOrDefaultAsync(r => r.Id == id, ct) : await SigningRootAsync(db, ct);
        if (signing is null)
        {
            return [];
        }

        var clusters = await db.Clusters.Where(c => clusterIds.Contains(c.Id)).ToListAsync(ct);
        await IssueAsync(db, signing, clusters, ct);
        return clusters.Select(c => c.Id).ToList();
    }

    /// <summary>
    /// The root new intermediates come from: the next root once a rotation switched intermediates to it, else the active one.
    /// </summary>
    public static async Task<MeshRootEntity?> SigningRootAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var roots = await db.MeshRoots.Where(r => r.State != RootState.Retired).ToListAsync(ct);
        var next = roots.FirstOrDefault(r => r.State == RootState.Next);
        if (next is not null && await db.ClusterIntermediates.AnyAsync(i => i.RootId == next.Id && i.State == IntermediateState.Active, ct))
        {
            return next;
        }

        return roots.FirstOrDefault(r => r.State == RootState.Active);
    }

    private async Task IssueAsync(MeshPortalDbContext db, MeshRootEntity signing, List<ClusterEntity> clusters, CancellationToken ct)
    {
        if (clusters.Count == 0)
        {
            return;
        }

        using var root = RootMaterial.Load(signing, secrets);
        var now = clock.GetUtcNow();
        var keyType = CaKeyType.IntermediateFor(signing.KeyType);
        var issued = new ClusterIntermediateEntity[clusters.Count];
        progress?.Begin($"{CaKeyType.Describe(keyType)} intermediate CA(s) for {clusters.Count} cluster(s)", clusters.Count);
        try
        {
            // Key generation is CPU-bound: one key per core at a time (RSA 4096 dominates; see TrustBenchmarks).
            var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
            await Parallel.ForAsync(0, clusters.Count, parallel, (i, _) =>
            {
                issued[i] = Issue(clusters[i], root, keyType, now);
                progress?.Step();
                return ValueTask.CompletedTask;
            });
        }
        catch (Exception ex)
        {
            progress?.End(ex.Message);
            throw;
        }

        var ids = clusters.Select(c => c.Id).ToList();
        var external = root.Key is null;
        var old = await db.ClusterIntermediates
            .Where(i => ids.Contains(i.ClusterId) && (i.State == IntermediateState.AwaitingSignature || (!external && i.State == IntermediateState.Active)))
            .ToListAsync(ct);
        old.ForEach(i => i.State = IntermediateState.Superseded);
        db.ClusterIntermediates.AddRange(issued);
        await db.SaveChangesAsync(ct);
        progress?.End();
        foreach (var c in clusters)
        {
            LogIssued(logger, c.Name, external ? "CSR awaiting signature" : "intermediate CA", signing.Subject);
        }
    }

    private ClusterIntermediateEntity Issue(ClusterEntity cluster, RootMaterial root, string keyType, DateTimeOffset now)
    {
        using var key = CaKeyType.Generate(keyType);
        var entity = new ClusterIntermediateEntity
        {
            ClusterId = cluster.Id,
            RootId = root.Entity.Id,
            KeyType = keyType,
            ProtectedPrivateKey = secrets.ProtectCaKey(CaCertificates.ExportPrivateKeyPem(key)),
            CreatedAt = now,
        };
        if (root.Key is null)
        {
            entity.State = IntermediateState.AwaitingSignature;
            entity.CsrPem = CaCertificates.CreateSigningRequestPem(key, cluster.Name);
            return entity;
        }

        var notAfter = Min(now.AddDays(options.Value.IntermediateValidityDays), new DateTimeOffset(root.Certificate.NotAfter.ToUniversalTime()));
        using var certificate = CaCertificates.CreateIntermediate(key, cluster.Name, root.Certificate, root.Key, now.AddMinutes(-5), notAfter);
        entity.State = IntermediateState.Active;
        entity.CertificatePem = certificate.ExportCertificatePem();
        entity.SerialNumber = certificate.SerialNumber;
        entity.NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        entity.NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return entity;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued {What} for cluster {Cluster} under root {Root}")]
    private static partial void LogIssued(ILogger logger, string cluster, string what, string root);
}
