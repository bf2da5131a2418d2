using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Probes;

/// <summary>
/// Writes one cluster's cycle in one transaction: replaces its latest rows (writing only those whose result changed), adds every
/// result to its hour's roll-up (one upsert statement per 500 results) and appends a raw history row only for a link whose status
/// changed, so the history grows with what changes, not with targets × cycles. Writes of the same source are serialised in this
/// process; a concurrent writer elsewhere (another replica) costs one retry.
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
        // Incremental: the source's latest rows are read untracked; a row whose result did not change only gets the new time, set
        // by one statement per distinct time (one per exec batch), so a steady cycle writes O(changed) rows, not O(targets).
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.ProbeResults.AsNoTracking().Where(r => r.SourceClusterId == sourceClusterId).ToListAsync(ct);
        var byKey = existing.ToDictionary(r => (r.Host, r.Port));
        var seen = new HashSet<(string, int)>();
        var touched = new Dictionary<DateTimeOffset, List<long>>();
        var history = new List<ProbeHistoryEntity>();
        var rollups = new List<RollupDelta>(records.Count);
        foreach (var record in records)
        {
            var key = (record.Target.Host, record.Target.Port);
            if (!seen.Add(key))
            {
                continue;
            }

            var status = record.Classification.Status.ToString();
            var message = Cut(record.Classification.Message);
            var hint = Cut(record.Classification.Hint);
            rollups.Add(ProbeHistoryFold.Delta(sourceClusterId, record));
            var previousStatus = byKey.TryGetValue(key, out var before) ? before.Status : null;
            if (ProbeHistoryFold.IsChange(previousStatus, status))
            {
                history.Add(new ProbeHistoryEntity
                {
                    SourceClusterId = sourceClusterId,
                    TargetClusterId = record.Target.TargetClusterId,
                    Host = record.Target.Host,
                    Port = record.Target.Port,
                    Status = status,
                    HttpStatus = record.HttpStatus,
                    LatencyMs = record.LatencyMs,
                    ObservedAt = record.ObservedAt,
                    IsChange = true,
                    PreviousStatus = previousStatus,
                });
            }

            if (byKey.TryGetValue(key, out var row) && Same(row, record, status, message, hint))
            {
                if (row.ObservedAt != record.ObservedAt)
                {
                    (touched.TryGetValue(record.ObservedAt, out var ids) ? ids : touched[record.ObservedAt] = []).Add(row.Id);
                }
            }
            else
            {
                if (row is null)
                {
                    row = new ProbeResultEntity { SourceClusterId = sourceClusterId, Host = record.Target.Host, Port = record.Target.Port, Status = status };
                    db.ProbeResults.Add(row);
                }
                else
                {
                    db.ProbeResults.Attach(row);
                }

                row.TargetClusterId = record.Target.TargetClusterId;
                row.ExportId = record.Target.ExportId;
                row.Status = status;
                row.HttpStatus = record.HttpStatus;
                row.LatencyMs = record.LatencyMs;
                row.ExitCode = record.ExitCode;
                row.Message = message;
                row.Hint = hint;
                row.ObservedAt = record.ObservedAt;
            }
        }

        var gone = removeOthers ? existing.Where(r => !seen.Contains((r.Host, r.Port))).Select(r => r.Id).ToList() : [];
        db.ProbeHistory.AddRange(history);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var (at, ids) in touched)
        {
            await db.ProbeResults.Where(r => ids.Contains(r.Id)).ExecuteUpdateAsync(u => u.SetProperty(r => r.ObservedAt, at), ct);
        }

        if (gone.Count > 0)
        {
            await db.ProbeResults.Where(r => gone.Contains(r.Id)).ExecuteDeleteAsync(ct);
        }

        foreach (var chunk in rollups.Chunk(ProbeHistoryFold.RowsPerStatement))
        {
            await db.Database.ExecuteSqlRawAsync(ProbeHistoryFold.UpsertSql(chunk.Length), ProbeHistoryFold.Parameters(chunk), ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Whether the stored latest row already says what this record says (all but the time).</summary>
    internal static bool Same(ProbeResultEntity row, ProbeRecord record, string status, string? message, string? hint) =>
        row.TargetClusterId == record.Target.TargetClusterId && row.ExportId == record.Target.ExportId && row.Status == status
        && row.HttpStatus == record.HttpStatus && row.LatencyMs == record.LatencyMs && row.ExitCode == record.ExitCode
        && row.Message == message && row.Hint == hint;

    private static string? Cut(string? s) => s is null || s.Length <= 1000 ? s : s[..999] + "…";
}
