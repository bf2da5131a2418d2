using MeshPortal.Core.Platform.Events;

namespace MeshPortal.Core.Features.Trust;

/// <summary>What the intermediate issuer is doing right now, for the Trust page's progress bar and the API.</summary>
public sealed record IssuanceSnapshot(bool Running, int Done, int Total, string? What, string? Error, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static readonly IssuanceSnapshot Idle = new(false, 0, 0, null, null, null, null);

    /// <summary>0–100.</summary>
    public int Percent => Total == 0 ? 0 : (int)Math.Round(100.0 * Done / Total);
}

/// <summary>
/// Progress of the current (or last) batch of intermediates: the issuer reports every key it generates, from a push, a
/// request or a background job alike. Open pages are refreshed through <see cref="ClusterEvents"/> at most every 250 ms.
/// </summary>
public sealed class IssuanceProgress(ClusterEvents events, TimeProvider clock)
{
    public const string EventName = "trust";

    private readonly Lock gate = new();
    private IssuanceSnapshot current = IssuanceSnapshot.Idle;
    private long lastPublished;

    public IssuanceSnapshot Current
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    public void Begin(string what, int total)
    {
        lock (gate)
        {
            current = new IssuanceSnapshot(true, 0, total, what, null, clock.GetUtcNow(), null);
        }

        events.Publish(EventName);
    }

    public void Step()
    {
        bool publish;
        lock (gate)
        {
            current = current with { Done = Math.Min(current.Done + 1, current.Total) };
            var now = clock.GetTimestamp();
            publish = clock.GetElapsedTime(lastPublished, now) >= TimeSpan.FromMilliseconds(250);
            if (publish)
            {
                lastPublished = now;
            }
        }

        if (publish)
        {
            events.Publish(EventName);
        }
    }

    public void End(string? error = null)
    {
        lock (gate)
        {
            current = current with { Running = false, Error = error, FinishedAt = clock.GetUtcNow() };
        }

        events.Publish(EventName);
    }
}
