using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Platform.Audit;

/// <summary>Reads the audit log for the Audit page, the API and the CSV export. Reading only: nothing here changes a row.</summary>
public sealed class AuditQueries(IDbContextFactory<MeshPortalDbContext> dbFactory)
{
    /// <summary>Rows of one CSV export at most, so a download stays bounded.</summary>
    public const int MaxExportRows = 100_000;

    public async Task<AuditPage> PageAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct)
    {
        page = Math.Max(1, page);
        pageSize = AuditFilter.ClampPageSize(pageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = filter.Apply(db.AuditEntries.AsNoTracking());
        var total = await query.CountAsync(ct);
        var items = await query.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new AuditPage([.. items.Select(AuditEntryView.From)], total, page, pageSize);
    }

    /// <summary>Every matching row, newest first, streamed (at most <see cref="MaxExportRows"/>).</summary>
    public async IAsyncEnumerable<AuditEntryView> StreamAsync(AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var entry in filter.Apply(db.AuditEntries.AsNoTracking()).Take(MaxExportRows).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return AuditEntryView.From(entry);
        }
    }

    /// <summary>Distinct values for the filter drop-downs.</summary>
    public async Task<(IReadOnlyList<string> Kinds, IReadOnlyList<string> Actions)> ChoicesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kinds = await db.AuditEntries.Select(e => e.TargetKind).Distinct().OrderBy(k => k).ToListAsync(ct);
        var actions = await db.AuditEntries.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        return (kinds, actions);
    }
}
