using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Creates, edits and deletes exports: the one path for the UI, the API and the demo. Bad input changes nothing; after a
/// change it asks for a push of exactly the affected clusters (the exporting cluster, old and new consumers).
/// </summary>
public sealed partial class ExportService(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    IClusterGateway gateway,
    SecretProtector secrets,
    VipAllocator vips,
    ISyncScheduler sync,
    ClusterEvents events,
    TimeProvider clock,
    ILogger<ExportService> logger)
{
    public const string Trigger = "export";

    public async Task<ExportSaveResult> CreateAsync(ExportRequest request, AuditContext who, CancellationToken ct)
    {
        var actor = who.Describe();
        var errors = ExportValidator.Validate(request);
        if (errors.Count > 0)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Invalid, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var clusters = await CreateClustersAsync(db, request.Cluster!, ct);
        var exporter = clusters.SingleOrDefault(c => c.Name == request.Cluster);
        if (exporter is null)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Invalid, "cluster", $"No cluster named '{request.Cluster}' is registered. GET /api/v1/clusters lists the registered clusters.");
        }

        var consumerIds = ResolveConsumers(request.Consumers, clusters, out var unknown);
        if (unknown is not null)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Invalid, "consumers", unknown);
        }

        var host = ExportNames.Host(request.Service!, request.Namespace!);
        if (await DuplicateAsync(db, exporter.Id, request.Namespace!, request.Service!, host, clusters, ct) is { } duplicate)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Conflict, "service", duplicate);
        }

        var (ports, failure) = await ReadPortsAsync(exporter, request.Namespace!, request.Service!, request.Ports, ct);
        if (failure is not null)
        {
            return failure;
        }

        // Whole microseconds, as PostgreSQL stores them: the 201's times equal what a GET reads back.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10));
        ExportEntity saved;
        try
        {
            // The export and its audit record are one SaveChanges (both or neither), retried together for another address.
            saved = await vips.InsertAsync(dbFactory, address => new ExportEntity
            {
                ClusterId = exporter.Id,
                Namespace = request.Namespace!,
                Service = request.Service!,
                Host = host,
                Address = address,
                AllConsumers = consumerIds is null,
                CreatedBy = actor,
                CreatedByUserId = request.CreatedByUserId,
                OwnerTeamId = request.OwnerTeamId,
                CreatedAt = now,
                UpdatedAt = now,
                Ports = [.. ports.Select(p => new ExportPortEntity { Name = p.Name, Number = p.Number, Protocol = p.Protocol })],
                Consumers = [.. (consumerIds ?? []).Select(id => new ExportConsumerEntity { ClusterId = id })],
            }, ct, (unit, export) => AuditLog.Stage(unit, who, new AuditEvent("export.created", "export", host,
                $"Exported {request.Namespace}/{request.Service} from {exporter.Name} as {host} ({export.Address})",
                After: ExportAuditShape.Of(export, clusters)), now));
        }
        catch (VipRangeExhaustedException ex)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Conflict, "address", ex.Message);
        }
        catch (DbUpdateException)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Conflict, "service", $"{host} was exported by someone else a moment ago. Reload the exports list.");
        }

        LogCreated(logger, host, saved.Address, exporter.Name, actor);
        // The answer is built from what was just saved and read (not reloaded), the same view GET /api/v1/exports/{id} shows.
        var view = await ExportQueries.CreatedViewAsync(db, saved, clusters, ct);
        // The saved entity already says who consumes it: no reload before asking for the push.
        sync.RequestSync(Affected(ExportSpec.From(saved), clusters), Trigger);
        events.Publish(exporter.Name);
        return ExportSaveResult.Ok(view);
    }

    /// <summary>
    /// What a create needs of the registered clusters: every id and name (consumers, audit), the columns the new export's view
    /// is computed from (as <see cref="ExportQueries.StatusColumns"/>), and the connection columns of the exporting cluster
    /// only (its kubeconfig is read to look up the service; the others' are not loaded).
    /// </summary>
    private static Task<List<ClusterEntity>> CreateClustersAsync(MeshPortalDbContext db, string exporter, CancellationToken ct) =>
        db.Clusters.AsNoTracking().Select(c => new ClusterEntity
        {
            Id = c.Id,
            Name = c.Name,
            Server = "",
            Context = c.Name == exporter ? c.Context : "",
            ProtectedKubeconfig = c.Name == exporter ? c.ProtectedKubeconfig : "",
            CredentialVersion = c.CredentialVersion,
            IstioVersion = c.IstioVersion,
            GatewayAddress = c.GatewayAddress,
            GatewayPort = c.GatewayPort,
            IstioCoreDnsAddress = c.IstioCoreDnsAddress,
            DnsProxying = c.DnsProxying,
            DnsProvider = c.DnsProvider,
            Network = c.Network,
            CacertsDecision = c.CacertsDecision,
            KubernetesVersion = c.KubernetesVersion,
            MeshFactsJson = c.MeshFactsJson,
        }).ToListAsync(ct);

    public async Task<ExportSaveResult> UpdateAsync(int id, ExportChange change, AuditContext who, CancellationToken ct)
    {
        var actor = who.Describe();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await db.Exports.Include(e => e.Ports).Include(e => e.Consumers).AsSplitQuery().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (export is null)
        {
            return NotFound(id);
        }

        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        var exporter = clusters.Single(c => c.Id == export.ClusterId);
        var errors = ExportValidator.Validate(change, exporter.Name);
        if (errors.Count > 0)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Invalid, errors);
        }

        var before = Affected(ExportSpec.From(export), clusters);
        var shapeBefore = ExportAuditShape.Of(export, clusters);
        if (change.AllConsumers == true || change.Consumers is not null)
        {
            List<int>? consumerIds = null;
            if (change.AllConsumers != true)
            {
                consumerIds = ResolveConsumers(change.Consumers, clusters, out var unknown);
                if (consumerIds is null)
                {
                    return ExportSaveResult.Fail(ExportFailureKind.Invalid, "consumers", unknown ?? "Choose the consumer clusters.");
                }
            }

            export.AllConsumers = consumerIds is null;
            export.Consumers.Clear();
            export.Consumers.AddRange((consumerIds ?? []).Select(cid => new ExportConsumerEntity { ExportId = id, ClusterId = cid }));
        }

        if (change.Ports is not null)
        {
            var (ports, failure) = await ReadPortsAsync(exporter, export.Namespace, export.Service, change.Ports, ct);
            if (failure is not null)
            {
                return failure;
            }

            export.Ports.Clear();
            export.Ports.AddRange(ports.Select(p => new ExportPortEntity { ExportId = id, Name = p.Name, Number = p.Number, Protocol = p.Protocol }));
        }

        export.UpdatedAt = clock.GetUtcNow();
        AuditLog.Stage(db, who, new AuditEvent("export.changed", "export", export.Host, $"Changed export {id} ({export.Host})",
            Before: shapeBefore, After: ExportAuditShape.Of(export, clusters)), export.UpdatedAt);
        await db.SaveChangesAsync(ct);
        LogUpdated(logger, export.Host, actor);
        return ExportSaveResult.Ok(await AfterChangeAsync(id, exporter, before, ct));
    }

    public async Task<ExportSaveResult> DeleteAsync(int id, AuditContext who, CancellationToken ct)
    {
        var actor = who.Describe();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await db.Exports.AsNoTracking().Include(e => e.Consumers).Include(e => e.Ports).AsSplitQuery().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (export is null)
        {
            return NotFound(id);
        }

        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        var affected = Affected(ExportSpec.From(export), clusters);
        // The delete and its audit record commit together (ExecuteDelete bypasses the change tracker, hence the transaction).
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.Exports.Where(e => e.Id == id).ExecuteDeleteAsync(ct);
            AuditLog.Stage(db, who, new AuditEvent("export.deleted", "export", export.Host, $"Unexported {export.Host} ({export.Address})",
                Before: ExportAuditShape.Of(export, clusters)), clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        LogDeleted(logger, export.Host, export.Address, actor);
        sync.RequestSync(affected, Trigger);
        events.Publish(clusters.Single(c => c.Id == export.ClusterId).Name);
        return ExportSaveResult.Ok(null);
    }

    /// <summary>The clusters whose desired state depends on this export: the exporting cluster and every consumer.</summary>
    public static IReadOnlyList<int> Affected(ExportSpec export, IReadOnlyList<ClusterEntity> clusters) =>
        [export.ClusterId, .. clusters.Where(c => export.IsConsumedBy(c.Id)).Select(c => c.Id)];

    private async Task<ExportView?> AfterChangeAsync(int id, ClusterEntity exporter, IReadOnlyList<int> before, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await db.Exports.AsNoTracking().Include(e => e.Consumers).SingleAsync(e => e.Id == id, ct);
        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        sync.RequestSync(before.Union(Affected(ExportSpec.From(export), clusters)).Order().ToList(), Trigger);
        events.Publish(exporter.Name);
        return (await ExportQueries.LoadAsync(db, id, ct)).SingleOrDefault();
    }

    /// <summary>Cluster ids of the named consumers; null for "every other cluster" (no list) or when a name is unknown.</summary>
    private static List<int>? ResolveConsumers(IReadOnlyList<string>? names, List<ClusterEntity> clusters, out string? unknown)
    {
        unknown = null;
        if (names is null)
        {
            return null;
        }

        var missing = names.Where(n => clusters.All(c => c.Name != n)).Distinct().ToList();
        if (missing.Count > 0)
        {
            unknown = $"{string.Join(", ", missing.Select(m => $"'{m}'"))} {(missing.Count == 1 ? "is" : "are")} not a registered cluster. Registered: {string.Join(", ", clusters.Select(c => c.Name).Order())}.";
            return null;
        }

        return [.. clusters.Where(c => names.Contains(c.Name)).Select(c => c.Id).Order()];
    }

    private static async Task<string?> DuplicateAsync(MeshPortalDbContext db, int clusterId, string ns, string service, string host, List<ClusterEntity> clusters, CancellationToken ct, int? exceptId = null)
    {
        var existing = await db.Exports.AsNoTracking().Where(e => e.Id != exceptId && (e.Host == host || (e.ClusterId == clusterId && e.Namespace == ns && e.Service == service)))
            .Select(e => new { e.Id, e.ClusterId }).FirstOrDefaultAsync(ct);
        if (existing is null)
        {
            return null;
        }

        return existing.ClusterId == clusterId
            ? $"{service} in {ns} is already exported from this cluster (export {existing.Id}). Edit that export instead."
            : $"{host} is already exported from cluster {clusters.Single(c => c.Id == existing.ClusterId).Name} (export {existing.Id}); a host can be exported from one cluster only.";
    }

    private async Task<(IReadOnlyList<ExportPortSpec> Ports, ExportSaveResult? Failure)> ReadPortsAsync(
        ClusterEntity exporter, string ns, string service, IReadOnlyList<int>? requested, CancellationToken ct)
    {
        k8s.Models.V1Service? live;
        try
        {
            live = await gateway.GetServiceAsync(secrets.ConnectionTo(exporter), ns, service, ct);
        }
        catch (ClusterCallException ex)
        {
            return ([], ExportSaveResult.Fail(ExportFailureKind.Unavailable, "cluster",
                $"Cluster {exporter.Name} could not be reached to read service {ns}/{service}: {ex.Message} Nothing was saved; try again when the cluster is reachable."));
        }

        if (live is null)
        {
            return ([], ExportSaveResult.Fail(ExportFailureKind.Invalid, "service", $"There is no service '{service}' in namespace '{ns}' of cluster {exporter.Name}."));
        }

        var (ports, error) = ExportPorts.Select(ExportPorts.Of(live), requested, $"{ns}/{service}");
        return error is null ? (ports, null) : ([], ExportSaveResult.Fail(ExportFailureKind.Invalid, "ports", error));
    }

    private static ExportSaveResult NotFound(int id) =>
        ExportSaveResult.Fail(ExportFailureKind.NotFound, "id", $"There is no export {id}. GET /api/v1/exports lists the exports.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {Host} ({Address}) from {Cluster} created by {Actor}")]
    private static partial void LogCreated(ILogger logger, string host, string address, string cluster, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {Host} changed by {Actor}")]
    private static partial void LogUpdated(ILogger logger, string host, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {Host} deleted by {Actor}; address {Address} is free again")]
    private static partial void LogDeleted(ILogger logger, string host, string address, string actor);
}
