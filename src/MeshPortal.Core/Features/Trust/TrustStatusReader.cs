using System.Security.Cryptography.X509Certificates;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Trust;

/// <summary>
/// Read-only trust status for pages and the API: the roots, each cluster's intermediate (verified against the root
/// with X509Chain custom root trust), and its in-cluster cacerts state from the reconciler's records. Never talks to a cluster.
/// </summary>
public sealed class TrustStatusReader(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    SyncStatusReader sync,
    TimeProvider clock,
    IOptions<TrustOptions> options)
{
    public async Task<TrustStatus> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var thresholds = options.Value.ExpiryWarningDays;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roots = await db.MeshRoots.AsNoTracking().Where(r => r.State != RootState.Retired).ToListAsync(ct);
        var clusters = await db.Clusters.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct);
        var intermediates = await db.ClusterIntermediates.AsNoTracking()
            .Where(i => i.State == IntermediateState.Active || i.State == IntermediateState.AwaitingSignature)
            .ToListAsync(ct);
        var secrets = (await sync.ObjectsBySourceAsync(TrustPlanner.SourceName, ct))
            .Where(o => o.Object.Kind == "Secret" && o.Object.Namespace == CacertsFiles.Namespace && o.Object.Name == CacertsFiles.SecretName)
            .ToDictionary(o => o.Object.ClusterId, o => o.Object);
        var runs = await sync.LatestRunPerClusterAsync(ct);

        var active = roots.FirstOrDefault(r => r.State == RootState.Active);
        var next = roots.FirstOrDefault(r => r.State == RootState.Next);
        var rootCerts = roots.ToDictionary(r => r.Id, r => X509Certificate2.CreateFromPem(r.CertificatePem));
        try
        {
            var views = clusters.Select(c =>
            {
                var mine = intermediates.Where(i => i.ClusterId == c.Id).ToList();
                var current = mine.FirstOrDefault(i => i.State == IntermediateState.Active) ?? mine.FirstOrDefault();
                var notes = runs.TryGetValue(c.Id, out var run) ? SyncStatusReader.Changes(run).Where(x => x.Action == "note").Select(x => x.Message ?? "").ToList() : [];
                return ClusterView(c, current, mine.Any(i => i.State == IntermediateState.AwaitingSignature), roots, rootCerts,
                    secrets.GetValueOrDefault(c.Id), notes, now, thresholds);
            }).ToList();
            var phase = next is null ? RotationPhase.None
                : intermediates.Any(i => i.State == IntermediateState.Active) && intermediates.Where(i => i.State == IntermediateState.Active).All(i => i.RootId == next.Id)
                    ? RotationPhase.IntermediatesSwitched
                    : RotationPhase.NextRootDistributed;
            return new TrustStatus(RootView(active, now, thresholds), RootView(next, now, thresholds), phase, views, now);
        }
        finally
        {
            foreach (var cert in rootCerts.Values)
            {
                cert.Dispose();
            }
        }
    }

    private static TrustRootView? RootView(MeshRootEntity? r, DateTimeOffset now, int[] thresholds) => r is null ? null
        : new TrustRootView(r.Id, r.Mode, r.State, r.Subject, r.KeyType, r.FingerprintSha256, r.NotBefore, r.NotAfter,
            ExpiryWarnings.Evaluate(r.NotAfter, now, thresholds));

    private static ClusterTrustView ClusterView(
        ClusterEntity c, ClusterIntermediateEntity? intermediate, bool awaiting, List<MeshRootEntity> roots, Dictionary<int, X509Certificate2> rootCerts,
        ManagedObjectEntity? secret, List<string> notes, DateTimeOffset now, int[] thresholds)
    {
        bool? chains = null;
        string? problem = null;
        string? issuer = null;
        if (intermediate?.CertificatePem is { } pem)
        {
            using var cert = X509Certificate2.CreateFromPem(pem);
            issuer = cert.Issuer;
            problem = CaCertificates.ChainProblem(cert, rootCerts.Values, now);
            chains = problem is null;
        }

        var (state, message) = CacertsOf(c, roots.Count > 0, awaiting && intermediate?.State != IntermediateState.Active, secret, notes);
        return new ClusterTrustView(
            c.Id, c.Name, c.IstioVersion, intermediate?.State, issuer, intermediate?.SerialNumber, intermediate?.NotAfter,
            intermediate?.NotAfter is { } na ? ExpiryWarnings.Evaluate(na, now, thresholds) : null,
            chains, problem, state, message, secret?.LastSyncedAt, c.CacertsDecision, IstioCaReload.NeedsRestartByVersion(c.IstioVersion),
            RootTransition.FromNotes(notes));
    }

    /// <summary>Pure: the cacerts state from the decision, the managed-object row and the latest push's notes.</summary>
    public static (CacertsState State, string? Message) CacertsOf(
        ClusterEntity cluster, bool hasRoot, bool awaitingOnly, ManagedObjectEntity? secret, IReadOnlyList<string> notes)
    {
        if (!hasRoot)
        {
            return (CacertsState.NoRoot, null);
        }

        var existing = notes.FirstOrDefault(n => n.StartsWith(ExistingCacertsCheck.Prefix, StringComparison.Ordinal));
        if (cluster.CacertsDecision == CacertsDecision.Adopt)
        {
            return (CacertsState.Adopted, "The cluster keeps its own cacerts; MeshPortal does not write it. " + existing);
        }

        if (cluster.CacertsDecision == CacertsDecision.None && notes.Contains(TrustPlanner.ForeignNote))
        {
            return (CacertsState.ForeignNeedsDecision, TrustPlanner.ForeignNote + ". " + existing);
        }

        if (awaitingOnly)
        {
            return (CacertsState.AwaitingSignature, TrustSource.AwaitingSignatureNote);
        }

        return secret is null
            ? (CacertsState.Pending, "Not pushed yet.")
            : secret.State switch
            {
                ObjectSyncState.Synced => (CacertsState.Synced, null),
                ObjectSyncState.Failed => (CacertsState.Failed, secret.Message),
                _ => (CacertsState.Pending, secret.Message),
            };
    }
}
