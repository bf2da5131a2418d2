using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Guided root rotation, each phase an explicit admin step:
/// 1. <see cref="StartRotationAsync"/>: generate the next root; every cluster's root-cert.pem carries both roots.
/// 2. <see cref="SwitchIntermediatesAsync"/>: re-issue every intermediate from the next root (both roots still trusted).
/// 3. <see cref="FinishRotationAsync"/>: retire the old root; root-cert.pem carries only the new one.
/// </summary>
public sealed partial class TrustService
{
    private async Task<TrustOutcome> StartRotationCoreAsync(string? keyType, string actor, TrustAudit audit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var transitioning = await db.TrustTransitions.Where(t => t.Phase != TransitionPhase.Done).Select(t => t.Cluster!.Name).ToListAsync(ct);
        if (transitioning.Count > 0)
        {
            return TrustOutcome.Conflict($"{string.Join(", ", transitioning)} is still in a root transition: finish it before rotating the mesh root.");
        }

        var active = await db.MeshRoots.SingleOrDefaultAsync(r => r.State == RootState.Active, ct);
        if (active is null)
        {
            return TrustOutcome.Conflict("There is no mesh root to rotate: create one first.");
        }

        if (active.Mode == RootMode.External)
        {
            return TrustOutcome.Conflict("An external root is rotated by the company CA: create the new root there, then import it.");
        }

        if (await db.MeshRoots.AnyAsync(r => r.State == RootState.Next, ct))
        {
            return TrustOutcome.Conflict("A rotation is already in progress: continue it with the next phase.");
        }

        var now = clock.GetUtcNow();
        using var current = RootMaterial.Load(active, secrets);
        var subject = current.Certificate.SubjectName;
        var request = new CreateRootRequest(CreateRootRequest.Generate, keyType ?? (CaKeyType.Generatable.Contains(active.KeyType) ? active.KeyType : CaKeyType.Rsa4096),
            subject.EnumerateRelativeDistinguishedNames().FirstOrDefault(n => n.GetSingleElementType().Value == "2.5.4.10")?.GetSingleElementValue(),
            subject.EnumerateRelativeDistinguishedNames().FirstOrDefault(n => n.GetSingleElementType().Value == "2.5.4.3")?.GetSingleElementValue());
        var (validation, root) = await Task.Run(() => RootRequestValidator.Validate(request, now, options.Value.RootValidityDays), ct);
        if (root is null)
        {
            return TrustOutcome.Invalid(validation);
        }

        var done = "Phase 1 done: the next root is being added to every cluster's root-cert.pem beside the current one.";
        using (root.Certificate)
        using (root.Key)
        {
            db.MeshRoots.Add(ToEntity(root, RootState.Next, now));
            audit.Stage(db, done);
            await db.SaveChangesAsync(ct);
        }

        LogRotation(logger, 1, actor);
        await ChangedAsync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), ct);
        return TrustOutcome.Ok(done);
    }

    private async Task<TrustOutcome> SwitchIntermediatesCoreAsync(string actor, bool force, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var next = await db.MeshRoots.SingleOrDefaultAsync(r => r.State == RootState.Next, ct);
        if (next is null)
        {
            return TrustOutcome.Conflict("No rotation in progress: start it first (phase 1).");
        }

        // Every proxy must trust the next root before any CA signs with it: the bundle is in the cluster and every pod restarted since.
        if (!force && await RolloutBlockerAsync(db, r => r.LiveRootCertPem?.Contains(next.CertificatePem.Trim(), StringComparison.Ordinal) == true,
                "root-cert.pem does not carry the next root yet (wait for the push)", ct) is { } blocked)
        {
            return TrustOutcome.Conflict("Phase 2 would break mTLS: " + blocked);
        }

        var ids = await db.Clusters.Select(c => c.Id).ToListAsync(ct);
        var (issued, queued) = await IssueNowOrLaterAsync("Rotation phase 2: intermediates from the next root", next.KeyType, ids.Count,
            (i, c) => i.ReissueAsync(ids, c, next.Id), ct);
        LogRotation(logger, 2, actor);
        await ChangedAsync(issued, ct);
        return TrustOutcome.Ok(queued is null
            ? $"Phase 2 done: {issued.Count} intermediate(s) re-issued from the next root; both roots stay trusted."
            : "Phase 2 started: " + queued);
    }

    private async Task<TrustOutcome> FinishRotationCoreAsync(string actor, bool force, TrustAudit audit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var next = await db.MeshRoots.SingleOrDefaultAsync(r => r.State == RootState.Next, ct);
        var active = await db.MeshRoots.SingleOrDefaultAsync(r => r.State == RootState.Active, ct);
        if (next is null || active is null)
        {
            return TrustOutcome.Conflict("No rotation in progress: start it first (phase 1).");
        }

        // Every proxy must hold a certificate from the next root's intermediate before the old root is dropped.
        if (!force && await RolloutBlockerAsync(db, r => SignedBy(r.LiveCaCertPem, next.CertificatePem),
                "cacerts does not sign with the next root's intermediate yet (wait for the push)", ct) is { } blocked)
        {
            return TrustOutcome.Conflict("Phase 3 would break mTLS: " + blocked);
        }

        var stillOld = await db.ClusterIntermediates.Where(i => i.RootId == active.Id && i.State == IntermediateState.Active)
            .Select(i => i.Cluster!.Name).ToListAsync(ct);
        if (stillOld.Count > 0)
        {
            return TrustOutcome.Conflict($"Intermediates of {string.Join(", ", stillOld)} are still signed by the old root: run phase 2 first.");
        }

        var done = "Phase 3 done: the old root is retired; root-cert.pem now carries only the new root.";
        active.State = RootState.Retired;
        next.State = RootState.Active;
        audit.Stage(db, done);
        await db.SaveChangesAsync(ct);
        LogRotation(logger, 3, actor);
        await ChangedAsync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), ct);
        return TrustOutcome.Ok(done);
    }

    /// <summary>
    /// Null when every cluster MeshPortal writes cacerts into shows <paramref name="pushed"/> and has every proxy on a certificate from
    /// the current cacerts (<see cref="RolloutGate"/>); otherwise what blocks, per cluster. Without a roll-out observer: null.
    /// </summary>
    private async Task<string?> RolloutBlockerAsync(MeshPortalDbContext db, Func<ClusterRollout, bool> pushed, string notPushed, CancellationToken ct)
    {
        if (rollout is null)
        {
            return null;
        }

        var names = await db.Clusters.Where(c => c.CacertsDecision != CacertsDecision.Adopt).OrderBy(c => c.Name).Select(c => c.Name).ToListAsync(ct);
        var blockers = new List<string>();
        foreach (var name in names)
        {
            var r = await rollout.ObserveAsync(name, ct);
            if (r is null)
            {
                continue;
            }

            if (r.Error is not null)
            {
                blockers.Add($"{name}: {r.Error}");
            }
            else if (!pushed(r))
            {
                blockers.Add($"{name}: {notPushed}");
            }
            else if (r.Advice is { CanAdvance: false } advice)
            {
                blockers.Add($"{name}: {advice.Message}");
            }
        }

        return blockers.Count == 0 ? null
            : string.Join(" ", blockers) + " Restart what the Trust page lists (or override, audited).";
    }

    private static bool SignedBy(string? caPem, string rootPem)
    {
        if (PemBlocks.Certificates(caPem).Count == 0)
        {
            return false;
        }

        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(PemBlocks.Certificates(caPem)[0].Text);
        using var root = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(rootPem);
        return CaCertificates.ChainProblem(ca, [root], DateTimeOffset.UtcNow) is null;
    }

    /// <summary>
    /// Applies one rotation step by name ("start", "switch", "finish"); a step out of order is a conflict. Switch and finish wait until every
    /// proxy holds a certificate from the current cacerts (the restarts the Trust page lists); <paramref name="force"/> overrides that gate.
    /// </summary>
    public Task<TrustOutcome> RotateAsync(string step, string? keyType, AuditContext who, CancellationToken ct, bool force = false) => step.ToLowerInvariant() switch
    {
        RotationPreview.Start => StartRotationAsync(keyType, who, ct),
        RotationPreview.Switch => SwitchIntermediatesAsync(who, ct, force),
        RotationPreview.Finish => FinishRotationAsync(who, ct, force),
        _ => Task.FromResult(TrustOutcome.Invalid("step", $"Unknown rotation step '{step}': use start, switch or finish.")),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Root rotation phase {Phase} applied by {Actor}")]
    private static partial void LogRotation(ILogger logger, int phase, string actor);
}
