using System.Net.Http.Headers;
using System.Text;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Core.Platform.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>The outcome of one delivery attempt.</summary>
public sealed record DeliveryOutcome(bool Delivered, int? StatusCode, string? Error);

/// <summary>
/// Sends outbox rows (<see cref="AlertNotificationEntity"/>), oldest first and in order per channel (a Resolved never overtakes
/// its Firing): a failed attempt is retried with doubling back-off until <c>MaxAttempts</c>. A row is leased before it is sent, so
/// two replicas never send it at the same time; rows survive restarts, so a receiver that was down gets them when it is back.
/// </summary>
public sealed class AlertDispatcher(IDbContextFactory<MeshPortalDbContext> dbFactory, SecretProtector secrets, IOptions<AlertOptions> options,
    TimeProvider time, AlertEvents events, ILogger<AlertDispatcher> logger) : BackgroundService
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SemaphoreSlim wake = new(0);

    /// <summary>Look at the outbox now (after an evaluation queued something).</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Delivering alert notifications failed; trying again shortly");
            }

            try
            {
                await wake.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(50, options.Value.DeliveryPollMilliseconds)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Delivers what is due (the head of each channel's queue); returns how many attempts were made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        List<AlertNotificationEntity> heads;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var pending = await db.AlertNotifications.AsNoTracking().Include(n => n.Channel)
                .Where(n => n.DeliveredAt == null && n.GaveUpAt == null)
                .OrderBy(n => n.Id).Take(500).ToListAsync(ct);
            heads = [.. pending.GroupBy(n => n.ChannelId).Select(g => g.First())
                .Where(n => n.NextAttemptAt <= now && (n.LeaseUntil is null || n.LeaseUntil < now))];
        }

        var attempts = 0;
        foreach (var row in heads)
        {
            if (!await LeaseAsync(row, now, o, ct))
            {
                continue;
            }

            attempts++;
            var outcome = await SendAsync(row, ct);
            await RecordAsync(row.Id, outcome, o, ct);
        }

        if (attempts > 0)
        {
            events.Publish();
        }

        return attempts;
    }

    private async Task<bool> LeaseAsync(AlertNotificationEntity row, DateTimeOffset now, AlertOptions o, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var until = now.AddSeconds(Math.Max(1, o.DeliveryTimeoutSeconds) + 30);
        var previous = row.LeaseUntil;
        return await db.AlertNotifications.Where(n => n.Id == row.Id && n.DeliveredAt == null && n.LeaseUntil == previous)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.LeaseUntil, until), ct) == 1;
    }

    private async Task<DeliveryOutcome> SendAsync(AlertNotificationEntity row, CancellationToken ct)
    {
        var channel = row.Channel!;
        try
        {
            var alert = AlertMessage.FromJson(row.PayloadJson);
            return await SendAsync(channel, row.Kind, alert, row.Id, ct);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return new DeliveryOutcome(false, null, "The channel's stored URL or secret cannot be decrypted; edit the channel and enter them again.");
        }
    }

    /// <summary>One attempt to one channel (also "send test notification").</summary>
    public async Task<DeliveryOutcome> SendAsync(AlertChannelEntity channel, NotificationKind kind, AlertMessage alert, long deliveryId, CancellationToken ct)
    {
        var o = options.Value;
        var url = secrets.UnprotectChannelSecret(channel.ProtectedUrl);
        var secret = channel.ProtectedSecret is null ? null : secrets.UnprotectChannelSecret(channel.ProtectedSecret);
        var hold = TimeSpan.FromMinutes(o.RepeatIntervalMinutes > 0 ? o.RepeatIntervalMinutes + 60 : 24 * 60);
        var request = ChannelPayloads.Build(channel.Kind, kind, alert, secret, deliveryId, time.GetUtcNow(), hold);
        var target = channel.Kind == AlertChannelKind.Alertmanager ? url.TrimEnd('/') + "/api/v2/alerts" : url;
        using var message = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(request.Body, Encoding.UTF8) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in request.Headers)
        {
            if (name == "Authorization")
            {
                message.Headers.Authorization = AuthenticationHeaderValue.Parse(value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, o.DeliveryTimeoutSeconds)));
        try
        {
            using var response = await Http.SendAsync(message, limit.Token);
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryOutcome(true, (int)response.StatusCode, null);
            }

            var text = await response.Content.ReadAsStringAsync(limit.Token);
            return new DeliveryOutcome(false, (int)response.StatusCode, $"HTTP {(int)response.StatusCode}: {Cut(text, 300)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, $"No answer within {o.DeliveryTimeoutSeconds} s.");
        }
        catch (HttpRequestException ex)
        {
            return new DeliveryOutcome(false, null, Cut(ex.Message, 300));
        }
    }

    private async Task RecordAsync(long id, DeliveryOutcome outcome, AlertOptions o, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AlertNotifications.SingleAsync(n => n.Id == id, ct);
        var now = time.GetUtcNow();
        row.Attempts++;
        row.LastStatusCode = outcome.StatusCode;
        row.LeaseUntil = null;
        if (outcome.Delivered)
        {
            row.DeliveredAt = now;
            row.LastError = null;
        }
        else
        {
            row.LastError = outcome.Error;
            if (row.Attempts >= Math.Max(1, o.MaxAttempts))
            {
                row.GaveUpAt = now;
                logger.LogWarning("Alert notification {Id} to channel {Channel} given up after {Attempts} attempts: {Error}", id, row.ChannelId, row.Attempts, outcome.Error);
            }
            else
            {
                row.NextAttemptAt = now + ChannelPayloads.Backoff(row.Attempts, o.RetryBaseSeconds, o.RetryMaxSeconds);
            }
        }

        await db.SaveChangesAsync(ct);
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
