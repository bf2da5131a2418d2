using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Keeps the history bounded: raw rows older than <see cref="ProbeOptions.RawRetentionHours"/> are deleted (change points are
/// already counted in their roll-ups; per-result rows written before the store-on-change history are folded into them first),
/// roll-ups older than <see cref="ProbeOptions.RollupRetentionDays"/> are deleted; all in chunks.
/// </summary>
public sealed class ProbeRetention(IDbContextFactory<MeshPortalDbContext> dbFactory, IOptions<ProbeOptions> options, TimeProvider time)
{
    /// <returns>Raw rows rolled up or deleted and roll-ups deleted.</returns>
    public async Task<(int RolledUp, int RollupsDeleted)> RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var chunk = Math.Max(100, o.DeleteChunkSize);
        var rawCutoff = now - TimeSpan.FromHours(Math.Max(1, o.RawRetentionHours));
        var rollupCutoff = now - TimeSpan.FromDays(Math.Max(1, o.RollupRetentionDays));
        var rolled = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ids = await db.ProbeHistory.Where(h => h.IsChange && h.ObservedAt < rawCutoff).OrderBy(h => h.Id).Take(chunk).Select(h => h.Id).ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }

            rolled += await db.ProbeHistory.Where(h => ids.Contains(h.Id)).ExecuteDeleteAsync(ct);
        }

        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var rows = await db.ProbeHistory.AsNoTracking().Where(h => !h.IsChange && h.ObservedAt < rawCutoff).OrderBy(h => h.Id).Take(chunk).ToListAsync(ct);
            if (rows.Count == 0)
            {
                break;
            }

            // Fold and delete together: a crash between them would count these results twice.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await FoldAsync(db, rows, ct);
            var ids = rows.Select(r => r.Id).ToList();
            await db.ProbeHistory.Where(h => ids.Contains(h.Id)).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            rolled += rows.Count;
        }

        var deleted = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ids = await db.ProbeRollups.Where(r => r.HourStart < rollupCutoff).OrderBy(r => r.Id).Take(chunk).Select(r => r.Id).ToListAsync(ct);
            if (ids.Count == 0)
            {
                break;
            }

            deleted += await db.ProbeRollups.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
        }

        return (rolled, deleted);
    }

    public static DateTimeOffset HourOf(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    private static async Task FoldAsync(MeshPortalDbContext db, IReadOnlyList<ProbeHistoryEntity> rows, CancellationToken ct)
    {
        var groups = rows.GroupBy(r => (r.SourceClusterId, r.TargetClusterId, r.Host, r.Port, Hour: HourOf(r.ObservedAt))).ToList();
        var hours = groups.Select(g => g.Key.Hour).Distinct().ToList();
        var sources = groups.Select(g => g.Key.SourceClusterId).Distinct().ToList();
        var existing = (await db.ProbeRollups.Where(r => hours.Contains(r.HourStart) && sources.Contains(r.SourceClusterId)).ToListAsync(ct))
            .ToDictionary(r => (r.SourceClusterId, r.Host, r.Port, r.HourStart));
        foreach (var g in groups)
        {
            if (!existing.TryGetValue((g.Key.SourceClusterId, g.Key.Host, g.Key.Port, g.Key.Hour), out var rollup))
            {
                rollup = new ProbeRollupEntity
                {
                    SourceClusterId = g.Key.SourceClusterId, TargetClusterId = g.Key.TargetClusterId, Host = g.Key.Host, Port = g.Key.Port,
                    HourStart = g.Key.Hour, WorstStatus = nameof(ProbeStatus.Ok),
                };
                db.ProbeRollups.Add(rollup);
                existing[(g.Key.SourceClusterId, g.Key.Host, g.Key.Port, g.Key.Hour)] = rollup;
            }

            foreach (var r in g)
            {
                ProbeHistoryFold.Add(rollup, r.Status, r.LatencyMs, r.ObservedAt);
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
