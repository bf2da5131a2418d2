using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Trust;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>What one evaluation found and did.</summary>
public sealed record AlertCycle(int Conditions, int Firing, int Pending, int Resolved, int Notifications, TimeSpan Took);

/// <summary>
/// One evaluation cycle: reads the snapshot (a fixed number of queries), steps the lifecycle, and writes the alert changes and their
/// notifications (the outbox) in one SaveChanges, so a crash never loses or duplicates a notification. One cycle at a time, also
/// across replicas.
/// </summary>
public sealed class AlertEngine(IDbContextFactory<MeshPortalDbContext> dbFactory, IOptions<AlertOptions> options, IOptions<ProbeOptions> probes,
    IOptions<TrustOptions> trust, TimeProvider time, AlertEvents events, ClusterLocks? locks = null)
{
    private readonly ClusterLocks locks = locks ?? new ClusterLocks();

    public async Task<AlertCycle> EvaluateAsync(CancellationToken ct)
    {
        await using var evaluating = await locks.AcquireAsync(ClusterLockScope.Alerts, 0, ct);
        var cycle = await EvaluateLockedAsync(ct);
        events.Publish();
        return cycle;
    }

    private async Task<AlertCycle> EvaluateLockedAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        var o = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshot = await AlertSnapshotReader.ReadAsync(db, now, o, probes.Value, ct);
        var conditions = AlertEvaluator.Evaluate(snapshot, o, trust.Value.ExpiryWarningDays);

        var open = await db.Alerts.Where(a => a.Status != AlertStatus.Resolved).ToListAsync(ct);
        var silences = await db.AlertSilences.AsNoTracking().Where(s => s.EndedAt == null && s.EndsAt > now).ToListAsync(ct);
        var channels = await db.AlertChannels.AsNoTracking().Where(c => c.Enabled).ToListAsync(ct);
        var step = AlertLifecycle.Step(conditions, open, silences, now, o);
        db.Alerts.AddRange(step.Added);
        db.Alerts.RemoveRange(step.Dropped);
        await db.SaveChangesAsync(ct); // ids for the notifications' payloads

        var count = 0;
        foreach (var note in step.Notifications)
        {
            var payload = AlertMessage.From(note.Alert, o.PortalUrl).ToJson();
            foreach (var channel in AlertRouter.Route(note.Alert, channels))
            {
                db.AlertNotifications.Add(new AlertNotificationEntity
                {
                    ChannelId = channel.Id, AlertId = note.Alert.Id, Kind = note.Kind, PayloadJson = payload, CreatedAt = now, NextAttemptAt = now,
                });
                count++;
            }
        }

        await db.SaveChangesAsync(ct);
        var all = open.Where(a => !step.Dropped.Contains(a)).Concat(step.Added).ToList();
        return new AlertCycle(conditions.Count, all.Count(a => a.Status == AlertStatus.Firing), all.Count(a => a.Status == AlertStatus.Pending),
            all.Count(a => a.Status == AlertStatus.Resolved), count, time.GetElapsedTime(started));
    }
}

/// <summary>In-process notice that alerts changed (pages with alert counts refresh). Subscribers must not throw.</summary>
public sealed class AlertEvents
{
    public event Action? Changed;

    public void Publish()
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception)
            {
                // A closed circuit must not stop the others.
            }
        }
    }
}
