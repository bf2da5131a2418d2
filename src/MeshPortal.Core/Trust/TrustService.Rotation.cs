using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Trust;

/// <summary>
/// Guided root rotation, each phase an explicit admin step:
/// 1. <see cref="StartRotationAsync"/>: generate the next root; every cluster's root-cert.pem carries both roots.
/// 2. <see cref="SwitchIntermediatesAsync"/>: re-issue every intermediate from the next root (both roots still trusted).
/// 3. <see cref="FinishRotationAsync"/>: retire the old root; root-cert.pem carries only the new one.
/// </summary>
public sealed partial class TrustService
{
    public async Task<TrustOutcome> StartRotationAsync(string? keyType, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
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

        using (root.Certificate)
        using (root.Key)
        {
            db.MeshRoots.Add(ToEntity(root, RootState.Next, now));
            await db.SaveChangesAsync(ct);
        }

        LogRotation(logger, 1, actor);
        await ChangedAsync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), ct);
        return TrustOutcome.Ok("Phase 1 done: the next root is being added to every cluster's root-cert.pem beside the current one.");
    }

    public async Task<TrustOutcome> SwitchIntermediatesAsync(string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var next = await db.MeshRoots.SingleOrDefaultAsync(r => r.State == RootState.Next, ct);
        if (next is null)
        {
            return TrustOutcome.Conflict("No rotation in progress: start it first (phase 1).");
        }

        var ids = await db.Clusters.Select(c => c.Id).ToListAsync(ct);
        var issued = await issuer.ReissueAsync(ids, ct, next.Id);
        LogRotation(logger, 2, actor);
        await ChangedAsync(issued, ct);
        return TrustOutcome.Ok($"Phase 2 done: {issued.Count} intermediate(s) re-issued from the next root; both roots stay trusted.");
    }

    public async Task<TrustOutcome> FinishRotationAsync(string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var next = await db.MeshRoots.SingleOrDefaultAsync(r => r.State == RootState.Next, ct);
        var active = await db.MeshRoots.SingleOrDefaultAsync(r => r.State == RootState.Active, ct);
        if (next is null || active is null)
        {
            return TrustOutcome.Conflict("No rotation in progress: start it first (phase 1).");
        }

        var stillOld = await db.ClusterIntermediates.Where(i => i.RootId == active.Id && i.State == IntermediateState.Active)
            .Select(i => i.Cluster!.Name).ToListAsync(ct);
        if (stillOld.Count > 0)
        {
            return TrustOutcome.Conflict($"Intermediates of {string.Join(", ", stillOld)} are still signed by the old root: run phase 2 first.");
        }

        active.State = RootState.Retired;
        next.State = RootState.Active;
        await db.SaveChangesAsync(ct);
        LogRotation(logger, 3, actor);
        await ChangedAsync(await db.Clusters.Select(c => c.Id).ToListAsync(ct), ct);
        return TrustOutcome.Ok("Phase 3 done: the old root is retired; root-cert.pem now carries only the new root.");
    }

    /// <summary>What the next phase changes in every cluster, shown before the admin applies it.</summary>
    public static IReadOnlyList<string> Preview(TrustStatus status) => status.Rotation switch
    {
        RotationPhase.None when status.Root is not null =>
            status.Clusters.Select(c => $"{c.Cluster}: root-cert.pem gains a new root beside \"{status.Root.Subject}\"; ca-cert.pem unchanged.").ToList(),
        RotationPhase.NextRootDistributed =>
            status.Clusters.Select(c => $"{c.Cluster}: new intermediate key and ca-cert.pem signed by the next root; cert-chain.pem ends with the next root; root-cert.pem keeps both roots.").ToList(),
        RotationPhase.IntermediatesSwitched =>
            status.Clusters.Select(c => $"{c.Cluster}: root-cert.pem drops the old root \"{status.Root!.Subject}\" ({CaCertificates.FormatFingerprint(status.Root.FingerprintSha256)[..11]}…).").ToList(),
        _ => [],
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Root rotation phase {Phase} applied by {Actor}")]
    private static partial void LogRotation(ILogger logger, int phase, string actor);
}
