using System.Text.Json;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Platform.Audit;

/// <summary>Writes audit records. Insert only; a failure to audit is logged by the caller's pipeline, never swallowed.</summary>
public sealed class AuditLog(IDbContextFactory<MeshPortalDbContext> dbFactory, TimeProvider time) : IAuditLog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public const int MaxTextLength = 4000;

    public async Task RecordAsync(AuditContext who, AuditEvent what, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(ToEntity(who, what, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Adds the audit record to <paramref name="db"/> without saving: the caller's next <c>SaveChangesAsync</c> stores it
    /// together with the change it describes (one unit of work: both or neither).
    /// </summary>
    public static void Stage(MeshPortalDbContext db, AuditContext who, AuditEvent what, DateTimeOffset at) =>
        db.AuditEntries.Add(ToEntity(who, what, at));

    /// <summary>
    /// For a change made with a bulk statement (<c>ExecuteUpdate</c>/<c>ExecuteDelete</c>, e.g. a conditional update that
    /// decides a race): runs <paramref name="change"/> and, when it touched a row, saves the audit record, both in one
    /// transaction. Returns how many rows the change touched; when none, nothing is audited.
    /// </summary>
    public static async Task<int> ChangeAndStageAsync(MeshPortalDbContext db, Func<CancellationToken, Task<int>> change, AuditContext who, AuditEvent what,
        DateTimeOffset at, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await change(ct);
        if (changed == 0)
        {
            return 0;
        }

        Stage(db, who, what, at);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return changed;
    }

    public static AuditEntryEntity ToEntity(AuditContext who, AuditEvent what, DateTimeOffset at) => new()
    {
        At = at,
        Actor = Clip(who.Actor, 256)!,
        UserId = who.UserId,
        TokenName = Clip(who.TokenName, 100),
        RemoteIp = Clip(who.RemoteIp, 64),
        UserAgent = Clip(who.UserAgent, 512),
        Action = what.Action,
        TargetKind = what.TargetKind,
        Target = Clip(what.Target, 512),
        Outcome = what.Outcome,
        Summary = Clip(what.Summary, MaxTextLength),
        Before = Serialize(what.Before),
        After = Serialize(what.After),
    };

    private static string? Serialize(object? value) =>
        value is null ? null : Clip(JsonSerializer.Serialize(value, value.GetType(), Json), MaxTextLength);

    private static string? Clip(string? value, int max) =>
        value is null || value.Length <= max ? value : value[..(max - 1)] + "…";
}
