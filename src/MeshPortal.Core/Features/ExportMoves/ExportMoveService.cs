using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Events;
using MeshPortal.Core.Platform.Jobs;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Core.Features.ExportMoves;

/// <summary>
/// Runs the move of a <c>.global</c> export to multi-primary (<see cref="ExportMoveRules"/>): <see cref="StartAsync"/> stores phase
/// Moving and pushes (the modern objects join the <c>.global</c> ones; the probes try the new name too); <see cref="ObserveAsync"/>,
/// called after every probe cycle, finishes the move once the new name answered everywhere, and pushes again (the <c>.global</c>
/// objects are pruned). The phase lives in the database, so a restart picks the move up where it was.
/// </summary>
public sealed partial class ExportMoveService(
    IDbContextFactory<MeshPortalDbContext> dbFactory,
    ISyncScheduler sync,
    ClusterEvents events,
    TimeProvider clock,
    ILogger<ExportMoveService> logger)
{
    public const string Trigger = "export-move";

    /// <summary>Starts the move: 409 (Conflict) with the reason when it is not offered, and nothing changes.</summary>
    public async Task<ExportSaveResult> StartAsync(int id, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await db.Exports.AsNoTracking().Include(e => e.Consumers).Include(e => e.Ports).AsSplitQuery().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (export is null)
        {
            return ExportSaveResult.Fail(ExportFailureKind.NotFound, "id", $"There is no export {id}. GET /api/v1/exports lists the exports.");
        }

        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        var (exporter, consumers) = Targets(export, clusters);
        var pairs = new GlobalModelPairs();
        var offer = ExportMoveRules.Offer(export.MovePhase, exporter.Name, [.. consumers.Select(c => pairs.MovePair(exporter, c))]);
        if (!offer.Offered)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Conflict, "move", offer.Reason);
        }

        var now = clock.GetUtcNow();
        var note = $"Writing the multi-primary objects for {string.Join(", ", offer.Consumers)}; then the probes try the new name.";
        var names = string.Join(", ", consumers.Where(c => offer.Consumers.Contains(c.Name))
            .Select(c => $"{c.Name} → {ExportNamingRules.ModernHost(export.Service, export.Namespace, c.Mesh?.McsHost == true)}"));
        var changed = await AuditLog.ChangeAndStageAsync(db, t => db.Exports.Where(e => e.Id == id && e.MovePhase == ExportMovePhase.None).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.MovePhase, ExportMovePhase.Moving)
                .SetProperty(e => e.MoveStartedAt, now)
                .SetProperty(e => e.MoveFinishedAt, (DateTimeOffset?)null)
                .SetProperty(e => e.MoveNote, note), t),
            who, new AuditEvent("export.move.started", "export", export.Host,
                $"Started moving {export.Host} to multi-primary ({names}); the .global objects stay until the new name answers",
                Before: new { phase = nameof(ExportMovePhase.None) }, After: new { phase = nameof(ExportMovePhase.Moving), consumers = offer.Consumers }), now, ct);
        if (changed == 0)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Conflict, "move", "Someone started this move a moment ago. Reload the export.");
        }

        LogStarted(logger, export.Host, who.Describe());
        return ExportSaveResult.Ok(await AfterAsync(export, exporter, clusters, ct));
    }

    /// <summary>Stops a move under way: the modern objects it added go, the <c>.global</c> ones (never removed yet) stay.</summary>
    public async Task<ExportSaveResult> CancelAsync(int id, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var export = await db.Exports.AsNoTracking().Include(e => e.Consumers).SingleOrDefaultAsync(e => e.Id == id, ct);
        if (export is null)
        {
            return ExportSaveResult.Fail(ExportFailureKind.NotFound, "id", $"There is no export {id}. GET /api/v1/exports lists the exports.");
        }

        var changed = await AuditLog.ChangeAndStageAsync(db, t => db.Exports.Where(e => e.Id == id && e.MovePhase == ExportMovePhase.Moving).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.MovePhase, ExportMovePhase.None)
                .SetProperty(e => e.MoveStartedAt, (DateTimeOffset?)null)
                .SetProperty(e => e.MoveNote, (string?)null), t),
            who, new AuditEvent("export.move.cancelled", "export", export.Host,
                $"Stopped moving {export.Host} to multi-primary; it stays on .global",
                Before: new { phase = nameof(ExportMovePhase.Moving) }, After: new { phase = nameof(ExportMovePhase.None) }), clock.GetUtcNow(), ct);
        if (changed == 0)
        {
            return ExportSaveResult.Fail(ExportFailureKind.Conflict, "move",
                export.MovePhase == ExportMovePhase.Moved
                    ? $"{export.Host} has already moved to multi-primary; its .global objects are gone, so there is nothing to stop."
                    : $"No move of {export.Host} is under way.");
        }

        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        var (exporter, _) = Targets(export, clusters);
        return ExportSaveResult.Ok(await AfterAsync(export, exporter, clusters, ct));
    }

    /// <summary>After a probe cycle: finishes every move whose new name answered everywhere; records what the others wait for.</summary>
    public async Task ObserveAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var moving = await db.Exports.AsNoTracking().Where(e => e.MovePhase == ExportMovePhase.Moving)
            .Include(e => e.Consumers).Include(e => e.Ports).AsSplitQuery().ToListAsync(ct);
        if (moving.Count == 0)
        {
            return;
        }

        var clusters = await db.Clusters.AsNoTracking().ToListAsync(ct);
        var pairs = new GlobalModelPairs();
        foreach (var export in moving)
        {
            var (exporter, consumers) = Targets(export, clusters);
            var movers = ExportMoveRules.Moving([.. consumers.Select(c => pairs.MovePair(exporter, c))]);
            var hosts = consumers.Where(c => movers.Contains(c.Name))
                .ToDictionary(c => c.Id, c => (c.Name, Host: ExportNamingRules.ModernHost(export.Service, export.Namespace, c.Mesh?.McsHost == true)));
            var ids = hosts.Keys.ToList();
            var rows = await db.ProbeResults.AsNoTracking().Where(r => r.ExportId == export.Id && ids.Contains(r.SourceClusterId))
                .Select(r => new { r.SourceClusterId, r.Host, r.Port, r.Status, r.ObservedAt }).ToListAsync(ct);
            var probes = rows.Where(r => r.Host == hosts[r.SourceClusterId].Host)
                .Select(r => new NewNameProbe(hosts[r.SourceClusterId].Name, r.Port, r.Status, r.ObservedAt)).ToList();
            var step = ExportMoveRules.Observe(export.MoveStartedAt ?? DateTimeOffset.MinValue, movers, [.. export.Ports.Select(p => p.Number).Order()], probes);
            if (!step.Finish)
            {
                if (step.Note != export.MoveNote)
                {
                    await db.Exports.Where(e => e.Id == export.Id && e.MovePhase == ExportMovePhase.Moving)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.MoveNote, step.Note), ct);
                    events.Publish(exporter.Name);
                }

                continue;
            }

            var now = clock.GetUtcNow();
            var finished = await AuditLog.ChangeAndStageAsync(db, t => db.Exports.Where(e => e.Id == export.Id && e.MovePhase == ExportMovePhase.Moving).ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.MovePhase, ExportMovePhase.Moved)
                    .SetProperty(e => e.MoveFinishedAt, now)
                    .SetProperty(e => e.MoveNote, step.Note), t),
                AuditContext.System, new AuditEvent("export.move.finished", "export", export.Host,
                    $"Moved {export.Host} to multi-primary: {string.Join(", ", hosts.Values.Select(h => $"{h.Name} calls {h.Host}"))}; the .global objects are removed",
                    Before: new { phase = nameof(ExportMovePhase.Moving) }, After: new { phase = nameof(ExportMovePhase.Moved) }), now, ct);
            if (finished == 0)
            {
                continue; // another replica finished (or someone cancelled) it meanwhile
            }

            LogFinished(logger, export.Host);
            await AfterAsync(export, exporter, clusters, ct);
        }
    }

    private static (ClusterTarget Exporter, IReadOnlyList<ClusterTarget> Consumers) Targets(ExportEntity export, IReadOnlyList<ClusterEntity> clusters)
    {
        var spec = ExportSpec.From(export);
        var targets = clusters.Select(ClusterTarget.From).ToList();
        return (targets.Single(c => c.Id == export.ClusterId), [.. targets.Where(c => spec.IsConsumedBy(c.Id))]);
    }

    private async Task<ExportView?> AfterAsync(ExportEntity export, ClusterTarget exporter, IReadOnlyList<ClusterEntity> clusters, CancellationToken ct)
    {
        sync.RequestSync(ExportService.Affected(ExportSpec.From(export), clusters), Trigger);
        events.Publish(exporter.Name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await ExportQueries.LoadAsync(db, export.Id, ct)).SingleOrDefault();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Move of {Host} to multi-primary started by {Actor}")]
    private static partial void LogStarted(ILogger logger, string host, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Move of {Host} to multi-primary finished: the new name answered everywhere")]
    private static partial void LogFinished(ILogger logger, string host);
}
