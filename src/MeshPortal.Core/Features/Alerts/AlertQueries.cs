using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>An alert as pages and the API show it.</summary>
public sealed record AlertView(long Id, string Key, string Rule, AlertSeverity Severity, AlertStatus Status, bool Silenced, string Summary, string Cause,
    string? Hint, string Link, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<string> Teams, DateTimeOffset FirstSeenAt, DateTimeOffset? FiredAt,
    DateTimeOffset? ResolvedAt, DateTimeOffset? LastNotifiedAt)
{
    public static AlertView From(AlertEntity a) => new(a.Id, a.Key, a.Rule, a.Severity, a.Status, a.SilenceId is not null && a.Status != AlertStatus.Resolved,
        a.Summary, a.Cause, a.Hint, a.Link, AlertMessage.ReadLabels(a.LabelsJson), AlertMessage.ReadTeams(a.Teams), a.FirstSeenAt, a.FiredAt, a.ResolvedAt, a.LastNotifiedAt);
}

/// <summary>Filters of the Alerts page and <c>GET /api/v1/alerts</c>: state is firing, silenced, pending, resolved or empty (all).</summary>
public sealed record AlertFilter(string? State = null, AlertSeverity? Severity = null, string? Rule = null, string? Cluster = null, string? Team = null, string? Text = null, int Take = 200);

/// <summary>Counts for the Overview and the wall screen.</summary>
public sealed record AlertCounts(int Firing, int Critical, int Silenced, int Pending);

public sealed record SilenceView(int Id, string? Rule, string? Cluster, string? Namespace, string? Service, string? Team, string Reason, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset EndsAt, DateTimeOffset? EndedAt, string? EndedBy, bool Active)
{
    public static SilenceView From(AlertSilenceEntity s, DateTimeOffset now) => new(s.Id, s.Rule, s.Cluster, s.Namespace, s.Service, s.Team, s.Reason, s.CreatedBy,
        s.CreatedAt, s.EndsAt, s.EndedAt, s.EndedBy, SilenceMatcher.IsActive(s, now));
}

public sealed record SilenceDraft(string? Rule, string? Cluster, string? Namespace, string? Service, string? Team, string? Reason, DateTimeOffset? EndsAt, int? DurationMinutes = null);

public sealed record SilenceResult(SilenceView? Silence, string? Error);

/// <summary>Reading alerts; creating and ending silences (audited). Silences take effect at the next evaluation, which this runs at once.</summary>
public sealed record OpenAlertGauge(AlertStatus Status, AlertSeverity Severity, bool Silenced);

public sealed record ChannelBacklog(string Channel, int Undelivered, int GivenUp);

public sealed record AlertGaugeReading(IReadOnlyList<OpenAlertGauge> Open, IReadOnlyList<ChannelBacklog> Channels);

public sealed class AlertQueries(IDbContextFactory<MeshPortalDbContext> dbFactory, AlertEngine engine, TimeProvider time)
{
    public async Task<List<AlertView>> ListAsync(AlertFilter f, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Alerts.AsNoTracking().AsQueryable();
        q = f.State?.ToLowerInvariant() switch
        {
            "firing" => q.Where(a => a.Status == AlertStatus.Firing && a.SilenceId == null),
            "silenced" => q.Where(a => a.Status != AlertStatus.Resolved && a.SilenceId != null),
            "pending" => q.Where(a => a.Status == AlertStatus.Pending),
            "resolved" => q.Where(a => a.Status == AlertStatus.Resolved),
            "active" => q.Where(a => a.Status != AlertStatus.Resolved),
            _ => q,
        };
        if (f.Severity is { } sev)
        {
            q = q.Where(a => a.Severity == sev);
        }

        if (!string.IsNullOrWhiteSpace(f.Rule))
        {
            q = q.Where(a => a.Rule == f.Rule);
        }

        var rows = await q.OrderByDescending(a => a.Id).Take(Math.Clamp(f.Take * 4, 1, 4000)).ToListAsync(ct);
        IEnumerable<AlertView> views = rows.Select(AlertView.From);
        if (!string.IsNullOrWhiteSpace(f.Cluster))
        {
            views = views.Where(v => v.Labels.TryGetValue(AlertLabels.Cluster, out var c) && c == f.Cluster || v.Labels.TryGetValue(AlertLabels.Source, out var s) && s == f.Cluster);
        }

        if (!string.IsNullOrWhiteSpace(f.Team))
        {
            views = views.Where(v => v.Teams.Contains(f.Team, StringComparer.Ordinal));
        }

        if (!string.IsNullOrWhiteSpace(f.Text))
        {
            views = views.Where(v => v.Summary.Contains(f.Text, StringComparison.OrdinalIgnoreCase) || v.Cause.Contains(f.Text, StringComparison.OrdinalIgnoreCase));
        }

        return [.. views.Take(Math.Clamp(f.Take, 1, 1000))];
    }

    /// <summary>What <c>/metrics</c> shows, read when scraped (two queries): open alerts, and each channel's notification backlog.</summary>
    public async Task<AlertGaugeReading> GaugesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.Alerts.AsNoTracking().Where(a => a.Status != AlertStatus.Resolved)
            .Select(a => new OpenAlertGauge(a.Status, a.Severity, a.SilenceId != null)).ToListAsync(ct);
        var channels = await db.AlertChannels.AsNoTracking()
            .Select(c => new ChannelBacklog(
                c.Name,
                db.Set<AlertNotificationEntity>().Count(n => n.ChannelId == c.Id && n.DeliveredAt == null && n.GaveUpAt == null),
                db.Set<AlertNotificationEntity>().Count(n => n.ChannelId == c.Id && n.GaveUpAt != null && n.Kind != NotificationKind.Test)))
            .ToListAsync(ct);
        return new AlertGaugeReading(open, channels);
    }

    public async Task<AlertCounts> CountsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await db.Alerts.AsNoTracking().Where(a => a.Status != AlertStatus.Resolved)
            .Select(a => new { a.Status, a.Severity, Silenced = a.SilenceId != null }).ToListAsync(ct);
        return new AlertCounts(open.Count(a => a.Status == AlertStatus.Firing && !a.Silenced),
            open.Count(a => a.Status == AlertStatus.Firing && !a.Silenced && a.Severity == AlertSeverity.Critical),
            open.Count(a => a.Silenced), open.Count(a => a.Status == AlertStatus.Pending));
    }

    public async Task<List<SilenceView>> SilencesAsync(bool includeEnded, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AlertSilences.AsNoTracking().OrderByDescending(s => s.Id).Take(500).ToListAsync(ct);
        return [.. rows.Select(s => SilenceView.From(s, now)).Where(s => includeEnded || s.Active)];
    }

    public async Task<SilenceResult> CreateSilenceAsync(SilenceDraft d, AuditContext who, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ends = d.EndsAt ?? (d.DurationMinutes is { } m and > 0 ? now.AddMinutes(m) : null);
        string? Clean(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        var reason = Clean(d.Reason);
        if (reason is null)
        {
            return new SilenceResult(null, "Give a reason: it is shown with the silenced alerts and kept in the audit log.");
        }

        if (ends is null || ends <= now)
        {
            return new SilenceResult(null, "Give an end time in the future (endsAt) or a duration in minutes (durationMinutes).");
        }

        if (ends > now.AddDays(90))
        {
            return new SilenceResult(null, "A silence may last at most 90 days.");
        }

        if (Clean(d.Rule) is { } rule && !AlertRules.All.Contains(rule))
        {
            return new SilenceResult(null, $"Unknown rule '{rule}'. Rules: {string.Join(", ", AlertRules.All)}.");
        }

        if (new[] { d.Rule, d.Cluster, d.Namespace, d.Service, d.Team }.All(v => Clean(v) is null))
        {
            return new SilenceResult(null, "Match something: a rule, cluster, namespace, service or team (a silence of everything is refused).");
        }

        var entity = new AlertSilenceEntity
        {
            Rule = Clean(d.Rule), Cluster = Clean(d.Cluster), Namespace = Clean(d.Namespace), Service = Clean(d.Service), Team = Clean(d.Team),
            Reason = reason.Length > 500 ? reason[..500] : reason, CreatedBy = who.Describe(), CreatedAt = now, EndsAt = ends.Value,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // The audit record names the silence by its id, which the database assigns on insert: one transaction holds
            // both saves, so the silence and its record are stored together or not at all.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.AlertSilences.Add(entity);
            await db.SaveChangesAsync(ct);
            AuditLog.Stage(db, who, new AuditEvent("alert-silence.created", "alert-silence", entity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Silence until {entity.EndsAt:u}: {reason}", After: Shape(entity)), now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        await engine.EvaluateAsync(ct);
        return new SilenceResult(SilenceView.From(entity, now), null);
    }

    public async Task<SilenceView?> EndSilenceAsync(int id, AuditContext who, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        AlertSilenceEntity? entity;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            entity = await db.AlertSilences.SingleOrDefaultAsync(s => s.Id == id, ct);
            if (entity is null)
            {
                return null;
            }

            if (entity.EndedAt is null)
            {
                entity.EndedAt = now;
                entity.EndedBy = who.Describe();
            }

            AuditLog.Stage(db, who, new AuditEvent("alert-silence.ended", "alert-silence", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"Silence ended early: {entity.Reason}", Before: Shape(entity)), now);
            await db.SaveChangesAsync(ct);
        }

        await engine.EvaluateAsync(ct);
        return SilenceView.From(entity, now);
    }

    private static object Shape(AlertSilenceEntity s) => new { s.Rule, s.Cluster, s.Namespace, s.Service, s.Team, s.Reason, s.EndsAt };
}
