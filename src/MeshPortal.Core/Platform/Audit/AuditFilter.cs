namespace MeshPortal.Core.Platform.Audit;

/// <summary>What the Audit page and <c>GET /api/v1/audit</c> filter on; every field optional. Text matches actor, target, summary, action, IP.</summary>
public sealed record AuditFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Actor = null,
    string? TargetKind = null,
    string? Action = null,
    string? Outcome = null,
    string? Text = null)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Applies the filter, newest first. Pure LINQ: the same code runs against SQLite and in unit tests.</summary>
    public IQueryable<AuditEntryEntity> Apply(IQueryable<AuditEntryEntity> query)
    {
        if (From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (To is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        if (Clean(Actor) is { } actor)
        {
            query = query.Where(e => e.Actor == actor || e.TokenName == actor);
        }

        if (Clean(TargetKind) is { } kind)
        {
            query = query.Where(e => e.TargetKind == kind);
        }

        if (Clean(Action) is { } action)
        {
            // "export" matches export.created/changed/deleted; "export.created" matches exactly.
            var prefix = action.EndsWith('.') ? action : action + ".";
            query = query.Where(e => e.Action == action || e.Action.StartsWith(prefix));
        }

        if (Clean(Outcome) is { } outcome)
        {
            query = query.Where(e => e.Outcome == outcome);
        }

        if (Clean(Text) is { } text)
        {
            query = query.Where(e => e.Actor.Contains(text) || (e.Target != null && e.Target.Contains(text))
                || (e.Summary != null && e.Summary.Contains(text)) || e.Action.Contains(text) || (e.RemoteIp != null && e.RemoteIp.Contains(text)));
        }

        return query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id);
    }

    public static int ClampPageSize(int? size) => Math.Clamp(size ?? DefaultPageSize, 1, MaxPageSize);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, int Total, int Page, int PageSize);

/// <summary>One audit record as the Audit page and <c>/api/v1/audit</c> show it (read model).</summary>
public sealed record AuditEntryView(
    long Id, DateTimeOffset At, string Actor, string? UserId, string? TokenName, string? RemoteIp, string? UserAgent,
    string Action, string TargetKind, string? Target, string Outcome, string? Summary, string? Before, string? After)
{
    public static AuditEntryView From(AuditEntryEntity e) =>
        new(e.Id, e.At, e.Actor, e.UserId, e.TokenName, e.RemoteIp, e.UserAgent, e.Action, e.TargetKind, e.Target, e.Outcome, e.Summary, e.Before, e.After);
}
