using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Which clusters serve a multi-primary export. istiod merges a hostname's Services of every registry it reads (its own
/// cluster and each remote-secret cluster) into one service (<c>pilot/pkg/serviceregistry/aggregate/controller.go</c>@1.24.0
/// <c>Services</c>/<c>mergeService</c>) whose endpoints are kept per cluster shard (<c>pilot/pkg/model/endpointshards.go</c>
/// <c>ShardKey</c>), so every cluster of the mesh that runs <c>name.ns</c> is a source, whatever MeshPortal was told. Pure.
/// </summary>
public static class ExportSourceRules
{
    /// <summary>
    /// The exports whose host this cluster could serve: those with a multi-primary consumer, exported from this cluster or
    /// from a cluster it forms a multi-primary pair with (a <c>.global</c> host is one cluster's).
    /// </summary>
    public static IReadOnlyList<ExportSpec> Watched(ExportSnapshot snapshot, int clusterId) =>
        Watched(snapshot, WithModernConsumers(snapshot), clusterId);

    /// <summary>The same, from <see cref="WithModernConsumers"/> computed once for many clusters of one snapshot.</summary>
    public static IReadOnlyList<ExportSpec> Watched(ExportSnapshot snapshot, IReadOnlyList<ExportSpec> withModernConsumers, int clusterId) =>
        [.. withModernConsumers.Where(e => e.ClusterId == clusterId || snapshot.Verdict(e, clusterId).IsMultiPrimary)];

    /// <summary>The exports at least one consumer takes in the multi-primary model (the only ones any cluster watches).</summary>
    public static IReadOnlyList<ExportSpec> WithModernConsumers(ExportSnapshot snapshot) => [.. snapshot.Exports.Where(snapshot.HasModernConsumers)];

    /// <summary>True when a listed Service (by its labels) is the cluster's own (MeshPortal's selector-less DNS Service serves nothing).</summary>
    public static bool Serves(IDictionary<string, string>? labels) =>
        labels is null || !labels.TryGetValue(ManagedLabels.ManagedBy, out var by) || by != ManagedLabels.ManagedByValue;

    /// <summary>The exporter first, then the other clusters seen serving the host, by name.</summary>
    public static IReadOnlyList<string> Order(string exporter, IEnumerable<string> observed) =>
        [exporter, .. observed.Where(n => n != exporter).Distinct().Order(StringComparer.Ordinal)];
}

/// <summary>
/// After each push of a cluster, lists that cluster's Services once (through the same gateway and credential as the push) and
/// stores, for every watched export (<see cref="ExportSourceRules.Watched"/>), whether the cluster serves it.
/// Only this cluster's rows change, so concurrent pushes of other clusters never conflict. After a batch (the recurring
/// re-check) the export snapshot is loaded once for every cluster of the batch, and the clusters are observed in parallel.
/// </summary>
public sealed class ExportSourceObserver(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    SecretProtector secrets,
    IOptions<ExportOptions> options,
    IOptions<SyncOptions> sync,
    TimeProvider clock) : IAfterPush
{
    public async Task AfterPushAsync(int clusterId, CancellationToken ct) => await AfterPushAsync([clusterId], ct);

    public async Task AfterPushAsync(IReadOnlyList<int> clusterIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        if (clusterIds.Count == 0)
        {
            return;
        }

        ExportSnapshot snapshot;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            snapshot = await ExportSource.LoadSnapshotAsync(db, ExportPlanSettings.From(options.Value), ct);
        }

        var candidates = ExportSourceRules.WithModernConsumers(snapshot);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, sync.Value.ClusterConcurrency), CancellationToken = ct };
        await Parallel.ForEachAsync(clusterIds, parallel, async (id, token) =>
        {
            try
            {
                await ObserveAsync(id, ExportSourceRules.Watched(snapshot, candidates, id), token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Enqueue(ex);
            }
        });
        if (!failures.IsEmpty)
        {
            throw new AggregateException(failures);
        }
    }

    private async Task ObserveAsync(int clusterId, IReadOnlyList<ExportSpec> watched, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var served = new HashSet<int>();
        if (watched.Count > 0)
        {
            var cluster = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clusterId, ct);
            if (cluster is null)
            {
                return;
            }

            var connection = secrets.ConnectionTo(cluster);
            // One list of the cluster's Services, not one GET per export: a push of a cluster with 2,000 exports stays one call.
            var own = (await gateway.ListServicesAsync(connection, null, ct).ConfigureAwait(false))
                .Where(s => ExportSourceRules.Serves(s.Metadata?.Labels))
                .Select(s => (s.Metadata.NamespaceProperty, s.Metadata.Name))
                .ToHashSet();
            served.UnionWith(watched.Where(e => own.Contains((e.Namespace, e.Service))).Select(e => e.Id));
        }

        var rows = await db.ExportSources.Where(s => s.ClusterId == clusterId).ToListAsync(ct);
        db.ExportSources.RemoveRange(rows.Where(r => !served.Contains(r.ExportId)));
        var now = clock.GetUtcNow();
        foreach (var id in served)
        {
            if (rows.FirstOrDefault(r => r.ExportId == id) is { } row)
            {
                row.ObservedAt = now;
            }
            else
            {
                db.ExportSources.Add(new ExportSourceEntity { ExportId = id, ClusterId = clusterId, ObservedAt = now });
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
