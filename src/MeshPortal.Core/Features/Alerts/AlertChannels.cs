using System.Text.RegularExpressions;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>What an admin enters for a channel. On update, an empty URL or secret keeps the stored one (they are never shown back).</summary>
public sealed record ChannelDraft(string? Name, AlertChannelKind Kind, string? Url, string? Secret, string? Team, AlertSeverity MinSeverity = AlertSeverity.Info, bool Enabled = true);

/// <summary>A channel as pages and the API show it: never its URL path or secret.</summary>
public sealed record ChannelView(int Id, string Name, AlertChannelKind Kind, string Target, bool HasSecret, string? Team, AlertSeverity MinSeverity, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ChannelView From(AlertChannelEntity c) => new(c.Id, c.Name, c.Kind, c.UrlDisplay, c.ProtectedSecret is not null, c.Team, c.MinSeverity, c.Enabled, c.CreatedAt, c.UpdatedAt);
}

/// <summary>One delivery of the channel's history.</summary>
public sealed record DeliveryView(long Id, NotificationKind Kind, string Summary, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset? DeliveredAt,
    DateTimeOffset? GaveUpAt, DateTimeOffset NextAttemptAt, int? LastStatusCode, string? LastError)
{
    public string State => DeliveredAt is not null ? "delivered" : GaveUpAt is not null ? "given up" : Attempts == 0 ? "queued" : "retrying";
}

public sealed record ChannelResult(ChannelView? Channel, string? Error, bool NotFound = false)
{
    public bool Succeeded => Error is null && !NotFound;
}

/// <summary>Admins' channel commands: validated, secrets protected, every change audited (never with the URL or secret).</summary>
public sealed partial class AlertChannels(IDbContextFactory<MeshPortalDbContext> dbFactory, SecretProtector secrets, AlertDispatcher dispatcher,
    IOptions<AlertOptions> options, TimeProvider time)
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NameRule();

    public async Task<List<ChannelView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return [.. (await db.AlertChannels.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ct)).Select(ChannelView.From)];
    }

    public async Task<ChannelView?> GetAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } c ? ChannelView.From(c) : null;
    }

    public async Task<List<DeliveryView>> DeliveriesAsync(int channelId, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AlertNotifications.AsNoTracking().Where(n => n.ChannelId == channelId).OrderByDescending(n => n.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        return [.. rows.Select(n => new DeliveryView(n.Id, n.Kind, AlertMessage.FromJson(n.PayloadJson).Summary, n.CreatedAt, n.Attempts, n.DeliveredAt, n.GaveUpAt,
            n.NextAttemptAt, n.LastStatusCode, n.LastError))];
    }

    public Task<ChannelResult> CreateAsync(ChannelDraft draft, AuditContext who, CancellationToken ct) => SaveAsync(null, draft, who, ct);

    public Task<ChannelResult> UpdateAsync(int id, ChannelDraft draft, AuditContext who, CancellationToken ct) => SaveAsync(id, draft, who, ct);

    private async Task<ChannelResult> SaveAsync(int? id, ChannelDraft draft, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AlertChannelEntity? entity = null;
        if (id is not null && (entity = await db.AlertChannels.SingleOrDefaultAsync(c => c.Id == id, ct)) is null)
        {
            return new ChannelResult(null, null, NotFound: true);
        }

        var name = draft.Name?.Trim() ?? "";
        var url = draft.Url?.Trim();
        var secret = string.IsNullOrEmpty(draft.Secret) ? null : draft.Secret;
        var team = string.IsNullOrWhiteSpace(draft.Team) ? null : draft.Team.Trim();
        if (!NameRule().IsMatch(name))
        {
            return Error("The name must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit.");
        }

        if (!Enum.IsDefined(draft.Kind) || !Enum.IsDefined(draft.MinSeverity))
        {
            return Error("Unknown kind or severity: kind is Alertmanager, Webhook or Slack; minSeverity is Info, Warning or Critical.");
        }

        if (entity is null && string.IsNullOrEmpty(url))
        {
            return Error(draft.Kind == AlertChannelKind.Alertmanager
                ? "Enter the Alertmanager's base URL, e.g. http://alertmanager:9093 (MeshPortal posts to /api/v2/alerts)."
                : "Enter the URL to post notifications to.");
        }

        Uri? parsed = null;
        if (!string.IsNullOrEmpty(url) && (!Uri.TryCreate(url, UriKind.Absolute, out parsed) || parsed.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(parsed.UserInfo)))
        {
            return Error("The URL must be an absolute http:// or https:// address without user:password (put credentials in the secret).");
        }

        if (draft.Kind == AlertChannelKind.Webhook && secret is null && entity?.ProtectedSecret is null)
        {
            return Error("A webhook channel needs a signing secret (at least 16 characters): receivers verify the X-MeshPortal-Signature header with it.");
        }

        if (secret is not null && draft.Kind == AlertChannelKind.Webhook && secret.Length < 16)
        {
            return Error("The signing secret must have at least 16 characters.");
        }

        if (draft.Kind == AlertChannelKind.Slack && secret is not null)
        {
            return Error("A Slack-compatible webhook has no secret: its URL is the credential.");
        }

        if (team is not null && !await db.Teams.AnyAsync(t => t.Name == team, ct))
        {
            return Error($"There is no team '{team}'. Leave the team empty for a channel that receives every alert.");
        }

        if (await db.AlertChannels.AnyAsync(c => c.Name == name && c.Id != (id ?? 0), ct))
        {
            return Error($"A channel named '{name}' exists already.");
        }

        var now = time.GetUtcNow();
        var before = entity is null ? null : Shape(entity);
        if (entity is null)
        {
            entity = new AlertChannelEntity { Name = name, ProtectedUrl = "", UrlDisplay = "", CreatedAt = now };
            db.AlertChannels.Add(entity);
        }

        entity.Name = name;
        entity.Kind = draft.Kind;
        if (parsed is not null)
        {
            entity.ProtectedUrl = secrets.ProtectChannelSecret(url!);
            entity.UrlDisplay = parsed.GetLeftPart(UriPartial.Authority);
        }

        if (secret is not null)
        {
            entity.ProtectedSecret = secrets.ProtectChannelSecret(secret);
        }
        else if (draft.Kind == AlertChannelKind.Slack)
        {
            entity.ProtectedSecret = null;
        }

        entity.Team = team;
        entity.MinSeverity = draft.MinSeverity;
        entity.Enabled = draft.Enabled;
        entity.UpdatedAt = now;
        AuditLog.Stage(db, who, new AuditEvent(before is null ? "alert-channel.created" : "alert-channel.updated", "alert-channel", name,
            $"{entity.Kind} channel '{name}' to {entity.UrlDisplay}{(team is null ? " (every alert)" : $" (team {team})")}" +
            (parsed is not null && before is not null ? "; URL replaced" : "") + (secret is not null ? "; secret replaced" : ""),
            before, Shape(entity)), now);
        await db.SaveChangesAsync(ct);
        return new ChannelResult(ChannelView.From(entity), null);

        static ChannelResult Error(string message) => new(null, message);
    }

    public async Task<bool> DeleteAsync(int id, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entity = await db.AlertChannels.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (entity is null)
        {
            return false;
        }

        db.AlertChannels.Remove(entity);
        AuditLog.Stage(db, who, new AuditEvent("alert-channel.deleted", "alert-channel", entity.Name, $"Channel '{entity.Name}' deleted", Shape(entity)), time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>"Send test notification": one attempt now, recorded in the delivery history and audited.</summary>
    public async Task<DeliveryOutcome?> SendTestAsync(int id, AuditContext who, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.AlertChannels.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var alert = ChannelPayloads.TestAlert(channel.Name, now, options.Value.PortalUrl);
        // Leased while this request sends it, so the dispatcher (which delivers unleased pending rows) never sends it a second time.
        var row = new AlertNotificationEntity
        {
            ChannelId = channel.Id, Kind = NotificationKind.Test, PayloadJson = alert.ToJson(), CreatedAt = now, NextAttemptAt = now, Attempts = 1,
            LeaseUntil = now.AddSeconds(Math.Max(1, options.Value.DeliveryTimeoutSeconds) + 30),
        };
        db.AlertNotifications.Add(row);
        await db.SaveChangesAsync(ct);
        DeliveryOutcome outcome;
        try
        {
            outcome = await dispatcher.SendAsync(channel, NotificationKind.Test, alert, row.Id, ct);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            outcome = new DeliveryOutcome(false, null, "The channel's stored URL or secret cannot be decrypted; edit the channel and enter them again.");
        }

        row.LastStatusCode = outcome.StatusCode;
        row.LastError = outcome.Error;
        row.LeaseUntil = null;
        if (outcome.Delivered)
        {
            row.DeliveredAt = time.GetUtcNow();
        }
        else
        {
            row.GaveUpAt = time.GetUtcNow(); // a test is not retried: the admin sees the answer at once
        }

        // The delivery's result and its audit record are one save.
        AuditLog.Stage(db, who, new AuditEvent("alert-channel.tested", "alert-channel", channel.Name,
            outcome.Delivered ? $"Test notification delivered (HTTP {outcome.StatusCode})" : $"Test notification failed: {outcome.Error}",
            Outcome: outcome.Delivered ? AuditOutcomes.Success : AuditOutcomes.Failed), time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    private static object Shape(AlertChannelEntity c) => new { c.Name, Kind = c.Kind.ToString(), Target = c.UrlDisplay, HasSecret = c.ProtectedSecret is not null, c.Team, MinSeverity = c.MinSeverity.ToString(), c.Enabled };
}
