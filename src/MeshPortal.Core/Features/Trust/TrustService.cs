using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Mesh trust actions for the UI, the API and the demo: create the root once (generate, import, external), re-issue
/// intermediates, decide about foreign cacerts, upload externally signed intermediates, rotate the root. Bad input
/// changes nothing; every change asks for a push of the affected clusters. Private keys never leave this class unprotected.
/// </summary>
public sealed partial class TrustService(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    SecretProtector secrets,
    IntermediateIssuer issuer,
    IEnumerable<ISyncScheduler> schedulers,
    ClusterEvents events,
    TimeProvider clock,
    IOptions<TrustOptions> options,
    ILogger<TrustService> logger,
    IAuditLog audit,
    BackgroundIssuance? background = null,
    ClusterLocks? locks = null,
    TrustRollout? rollout = null)
{
    public const string SyncTrigger = "trust";

    private readonly ClusterLocks locks = locks ?? new ClusterLocks();

    private async Task<TrustOutcome> CreateRootCoreAsync(CreateRootRequest request, string actor, TrustAudit audit, CancellationToken ct)
    {
        // Generating keys is costly, so a second "generate" is refused at once; pasted input is checked first (400 before 409).
        if (string.Equals(request.Mode?.Trim(), CreateRootRequest.Generate, StringComparison.OrdinalIgnoreCase) && await HasRootAsync(ct))
        {
            return RootExists();
        }

        var now = clock.GetUtcNow();
        var (validation, root) = await Task.Run(() => RootRequestValidator.Validate(request, now, options.Value.RootValidityDays), ct);
        if (root is null)
        {
            return TrustOutcome.Invalid(validation);
        }

        using (root.Certificate)
        using (root.Key)
        {
            // In this process and across replicas: two "create root" requests must not both find no root.
            await using var creating = await locks.AcquireAsync(ClusterLockScope.Trust, 1, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.MeshRoots.AnyAsync(r => r.State != RootState.Retired, ct))
            {
                return RootExists();
            }

            db.MeshRoots.Add(ToEntity(root, RootState.Active, now));
            audit.Stage(db, $"Root stored ({root.Mode}, {root.KeyType}, {root.Certificate.Subject}); intermediates follow for every cluster");
            await db.SaveChangesAsync(ct);

            LogRootCreated(logger, root.Mode.ToString(), root.Certificate.Subject, root.KeyType, actor);
        }

        var (issued, queued) = await IssueNowOrLaterAsync("Intermediates for the new root", root.KeyType, await ClusterCountAsync(ct), (i, c) => i.EnsureAllAsync(c), ct);
        await ChangedAsync(issued, ct);
        if (queued is not null)
        {
            return TrustOutcome.Ok("Root created. " + queued);
        }

        return TrustOutcome.Ok(root.Mode == RootMode.External
            ? $"Root stored. Download each cluster's CSR, have it signed and upload the certificate ({issued.Count} CSR(s) created)."
            : $"Root created; intermediates issued for {issued.Count} cluster(s) and a push requested.");
    }

    /// <summary>Re-issues one cluster's intermediate (<paramref name="clusterName"/>) or every cluster's (null): new key, same root.</summary>
    private async Task<TrustOutcome> ReissueCoreAsync(string? clusterName, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.MeshRoots.AnyAsync(r => r.State == RootState.Active, ct))
        {
            return TrustOutcome.Conflict("There is no mesh root yet: create one first.");
        }

        var ids = await db.Clusters.Where(c => clusterName == null || c.Name == clusterName).Select(c => c.Id).ToListAsync(ct);
        if (clusterName is not null && ids.Count == 0)
        {
            return ClusterNotFound(clusterName);
        }

        var rootKeyType = await db.MeshRoots.Where(r => r.State == RootState.Active).Select(r => r.KeyType).FirstAsync(ct);
        var (issued, queued) = await IssueNowOrLaterAsync($"Re-issue for {clusterName ?? "all clusters"}", rootKeyType, ids.Count, (i, c) => i.ReissueAsync(ids, c), ct);
        LogReissued(logger, clusterName ?? "all clusters", actor);
        await ChangedAsync(issued, ct);
        return TrustOutcome.Ok(queued ?? $"Re-issued {issued.Count} intermediate(s); a push was requested.");
    }

    /// <summary>Adopt (leave the existing cacerts alone) or Replace (take it over) for a cluster whose cacerts MeshPortal did not write.</summary>
    private async Task<TrustOutcome> SetDecisionCoreAsync(string clusterName, CacertsDecision decision, string actor, TrustAudit audit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == clusterName, ct);
        if (cluster is null)
        {
            return ClusterNotFound(clusterName);
        }

        cluster.CacertsDecision = decision;
        cluster.UpdatedAt = clock.GetUtcNow();
        var done = decision switch
        {
            CacertsDecision.Adopt => $"{clusterName}: the existing cacerts is kept; MeshPortal will not write it.",
            CacertsDecision.Replace => $"{clusterName}: the existing cacerts will be replaced on the next push.",
            _ => $"{clusterName}: decision cleared.",
        };
        audit.Stage(db, done);
        await db.SaveChangesAsync(ct);
        LogDecision(logger, clusterName, decision.ToString(), actor);
        await ChangedAsync([cluster.Id], ct);
        return TrustOutcome.Ok(done);
    }

    /// <summary>External root: stores the certificate the company CA signed for a cluster's CSR, after checking it.</summary>
    private async Task<TrustOutcome> UploadSignedCoreAsync(string clusterName, string? certificatePem, string actor, TrustAudit audit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cluster = await db.Clusters.SingleOrDefaultAsync(c => c.Name == clusterName, ct);
        if (cluster is null)
        {
            return ClusterNotFound(clusterName);
        }

        var pending = await db.ClusterIntermediates.Include(i => i.Root)
            .SingleOrDefaultAsync(i => i.ClusterId == cluster.Id && i.State == IntermediateState.AwaitingSignature, ct);
        if (pending is null)
        {
            return TrustOutcome.Conflict($"{clusterName} has no CSR waiting for a signature.");
        }

        using var root = RootMaterial.Load(pending.Root!, secrets);
        using var key = CaCertificates.ImportPrivateKeyPem(secrets.UnprotectCaKey(pending.ProtectedPrivateKey));
        var (validation, certificate) = SignedIntermediateValidator.Validate(certificatePem, root.Certificate, key, clock.GetUtcNow());
        if (certificate is null)
        {
            return TrustOutcome.Invalid(validation);
        }

        var done = $"{clusterName}: signed intermediate stored; a push was requested.";
        using (certificate)
        {
            // The old intermediate is superseded by a bulk update: one transaction holds it, the new one and the audit record.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.ClusterIntermediates.Where(i => i.ClusterId == cluster.Id && i.State == IntermediateState.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.State, IntermediateState.Superseded), ct);
            pending.State = IntermediateState.Active;
            pending.CertificatePem = certificate.ExportCertificatePem();
            pending.SerialNumber = certificate.SerialNumber;
            pending.NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
            pending.NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            audit.Stage(db, done);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        LogUploaded(logger, clusterName, actor);
        await ChangedAsync([cluster.Id], ct);
        return TrustOutcome.Ok(done);
    }

    /// <summary>The CSR waiting for a signature for this cluster (public data), or null.</summary>
    public async Task<string?> GetCsrAsync(string clusterName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ClusterIntermediates
            .Where(i => i.Cluster!.Name == clusterName && i.State == IntermediateState.AwaitingSignature)
            .Select(i => i.CsrPem).FirstOrDefaultAsync(ct);
    }

    /// <summary>The trust bundle (<c>root-cert.pem</c>): the active root, plus the next one during a rotation. Null without a root.</summary>
    public async Task<string?> GetRootBundleAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pems = await db.MeshRoots.Where(r => r.State == RootState.Active || r.State == RootState.Next)
            .OrderBy(r => r.Id).Select(r => r.CertificatePem).ToListAsync(ct);
        return pems.Count == 0 ? null : string.Concat(pems.Select(p => p.Trim() + "\n"));
    }

    public async Task<bool> HasRootAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MeshRoots.AnyAsync(r => r.State != RootState.Retired, ct);
    }

    private MeshRootEntity ToEntity(ValidatedRoot root, RootState state, DateTimeOffset now) => new()
    {
        Mode = root.Mode,
        State = state,
        KeyType = root.KeyType,
        Subject = root.Certificate.Subject,
        CertificatePem = root.Certificate.ExportCertificatePem(),
        ProtectedPrivateKey = root.Key is null ? null : secrets.ProtectCaKey(CaCertificates.ExportPrivateKeyPem(root.Key)),
        FingerprintSha256 = CaCertificates.Fingerprint(root.Certificate),
        NotBefore = new DateTimeOffset(root.Certificate.NotBefore.ToUniversalTime()),
        NotAfter = new DateTimeOffset(root.Certificate.NotAfter.ToUniversalTime()),
        CreatedAt = now,
    };

    /// <summary>Requests a push of the affected clusters and refreshes open pages.</summary>
    private async Task ChangedAsync(IReadOnlyCollection<int> clusterIds, CancellationToken ct)
    {
        if (clusterIds.Count > 0)
        {
            foreach (var scheduler in schedulers)
            {
                scheduler.RequestSync(clusterIds, SyncTrigger);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Clusters.Where(c => clusterIds.Contains(c.Id)).Select(c => c.Name).ToListAsync(ct);
        events.Publish(names.FirstOrDefault() ?? "trust");
    }

    private static TrustOutcome RootExists() =>
        TrustOutcome.Conflict("A mesh root already exists. Use root rotation to replace it, or re-issue intermediates.");

    private static TrustOutcome ClusterNotFound(string name) => TrustOutcome.NotFound($"No cluster named '{name}' is registered.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Mesh root created ({Mode}): {Subject}, {KeyType}, by {Actor}")]
    private static partial void LogRootCreated(ILogger logger, string mode, string subject, string keyType, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Intermediate re-issue for {Target} by {Actor}")]
    private static partial void LogReissued(ILogger logger, string target, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "cacerts decision for {Cluster}: {Decision}, by {Actor}")]
    private static partial void LogDecision(ILogger logger, string cluster, string decision, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed intermediate uploaded for {Cluster} by {Actor}")]
    private static partial void LogUploaded(ILogger logger, string cluster, string actor);
}
