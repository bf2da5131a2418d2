using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Keeps the history bounded: raw rows older than <see cref="ProbeOptions.RawRetentionHours"/> are folded into hourly
/// roll-ups and deleted, roll-ups older than <see cref="ProbeOptions.RollupRetentionDays"/> are deleted; both in chunks.
/// </summary>
public sealed class ProbeRetention(IDbContextFactory<MeshPortalDbContext> dbFactory, IOptions<ProbeOptions> options, TimeProvider time)
{
    /// <returns>Raw rows rolled up and roll-ups deleted.</returns>
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
            var rows = await db.ProbeHistory.AsNoTracking().Where(h => h.ObservedAt < rawCutoff).OrderBy(h => h.Id).Take(chunk).ToListAsync(ct);
            if (rows.Count == 0)
            {
                break;
            }

            await FoldAsync(db, rows, ct);
            var ids = rows.Select(r => r.Id).ToList();
            await db.ProbeHistory.Where(h => ids.Contains(h.Id)).ExecuteDeleteAsync(ct);
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
                rollup.Count++;
                var status = Enum.TryParse<ProbeStatus>(r.Status, out var s) ? s : ProbeStatus.Unknown;
                if (status == ProbeStatus.Ok)
                {
                    rollup.OkCount++;
                    rollup.LatencySumMs += r.LatencyMs ?? 0;
                    rollup.LatencyMaxMs = Math.Max(rollup.LatencyMaxMs, r.LatencyMs ?? 0);
                }

                var worst = Enum.TryParse<ProbeStatus>(rollup.WorstStatus, out var w) ? w : ProbeStatus.Ok;
                if (ProbeStatuses.Severity(status) > ProbeStatuses.Severity(worst))
                {
                    rollup.WorstStatus = status.ToString();
                }
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
