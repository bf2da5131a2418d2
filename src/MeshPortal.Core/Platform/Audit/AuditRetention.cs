using System.ComponentModel.DataAnnotations;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Platform.Audit;

public sealed class AuditOptions
{
    public const string Section = "MeshPortal:Audit";

    /// <summary>Entries older than this are deleted by the retention job (default one year).</summary>
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 365;

    /// <summary>Cron of the retention job; empty disables it.</summary>
    [Cron]
    public string RetentionCron { get; set; } = "17 3 * * *";

    [Range(100, 1_000_000)]

    public int DeleteChunkSize { get; set; } = 1000;
}

/// <summary>The only code that deletes audit rows: those older than the retention period, in chunks (a recurring Hangfire job).</summary>
public sealed class AuditRetention(IDbContextFactory<MeshPortalDbContext> dbFactory, IOptions<AuditOptions> options, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var o = options.Value;
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(Math.Max(1, o.RetentionDays));
        var chunk = Math.Max(100, o.DeleteChunkSize);
        var deleted = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ids = await db.AuditEntries.Where(e => e.At < cutoff).OrderBy(e => e.Id).Take(chunk).Select(e => e.Id).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return deleted;
            }

            deleted += await db.AuditEntries.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
        }
    }
}
