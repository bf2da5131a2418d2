using MeshPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Probes;

/// <summary>
/// Writes one cluster's cycle: replaces its latest rows and appends history, in one transaction (one SaveChanges). Writes of the
/// same source are serialised in this process; a concurrent writer elsewhere (another replica) costs one retry.
/// </summary>
public sealed class ProbeStore(IDbContextFactory<MeshPortalDbContext> dbFactory)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, SemaphoreSlim> locks = new();

    public Task ReplaceAsync(int sourceClusterId, IReadOnlyList<ProbeRecord> records, CancellationToken ct) =>
        WriteSerialisedAsync(sourceClusterId, records, removeOthers: true, ct);

    /// <summary>Stores some results of one source (a "probe now" of one export) and leaves its other latest rows alone.</summary>
    public Task UpsertAsync(int sourceClusterId, IReadOnlyList<ProbeRecord> records, CancellationToken ct) =>
        WriteSerialisedAsync(sourceClusterId, records, removeOthers: false, ct);

    private async Task WriteSerialisedAsync(int sourceClusterId, IReadOnlyList<ProbeRecord> records, bool removeOthers, CancellationToken ct)
    {
        var gate = locks.GetOrAdd(sourceClusterId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            try
            {
                await WriteAsync(sourceClusterId, records, removeOthers, ct);
            }
            catch (DbUpdateException)
            {
                await WriteAsync(sourceClusterId, records, removeOthers, ct);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task WriteAsync(int sourceClusterId, IReadOnlyList<ProbeRecord> records, bool removeOthers, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.ProbeResults.Where(r => r.SourceClusterId == sourceClusterId).ToListAsync(ct);
        var byKey = existing.ToDictionary(r => (r.Host, r.Port));
        var seen = new HashSet<(string, int)>();
        foreach (var record in records)
        {
            var key = (record.Target.Host, record.Target.Port);
            if (!seen.Add(key))
            {
                continue;
            }

            if (!byKey.TryGetValue(key, out var row))
            {
                row = new ProbeResultEntity { SourceClusterId = sourceClusterId, Host = record.Target.Host, Port = record.Target.Port, Status = "" };
                db.ProbeResults.Add(row);
            }

            row.TargetClusterId = record.Target.TargetClusterId;
            row.ExportId = record.Target.ExportId;
            row.Status = record.Classification.Status.ToString();
            row.HttpStatus = record.HttpStatus;
            row.LatencyMs = record.LatencyMs;
            row.ExitCode = record.ExitCode;
            row.Message = Cut(record.Classification.Message);
            row.Hint = Cut(record.Classification.Hint);
            row.ObservedAt = record.ObservedAt;
            db.ProbeHistory.Add(new ProbeHistoryEntity
            {
                SourceClusterId = sourceClusterId,
                TargetClusterId = record.Target.TargetClusterId,
                Host = record.Target.Host,
                Port = record.Target.Port,
                Status = row.Status,
                HttpStatus = record.HttpStatus,
                LatencyMs = record.LatencyMs,
                ObservedAt = record.ObservedAt,
            });
        }

        if (removeOthers)
        {
            db.ProbeResults.RemoveRange(existing.Where(r => !seen.Contains((r.Host, r.Port))));
        }

        await db.SaveChangesAsync(ct);
    }

    private static string? Cut(string? s) => s is null || s.Length <= 1000 ? s : s[..999] + "…";
}
