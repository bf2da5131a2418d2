using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Web.Auth;

/// <summary>The <c>MeshPortal:SignIn</c> section: how many failed password sign-ins are tolerated before attempts are refused unchecked.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "MeshPortal:SignIn";

    /// <summary>Failed sign-ins for one user name (existing or not) within <see cref="WindowSeconds"/> before that name is throttled.</summary>
    [Range(1, 10_000)]
    public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>Failed sign-ins from one client address within <see cref="WindowSeconds"/> before that address is throttled.</summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerClient { get; set; } = 20;

    /// <summary>How long a failure counts.</summary>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 300;
}

/// <summary>
/// Throttles password sign-in per user name and per client address instead of locking accounts: a throttled attempt is
/// refused without checking the password, for a limited time, and it never touches the account (so API tokens keep
/// working; an admin lock is the only lock). Unknown and known names are counted alike, so the answer tells nothing
/// about which names exist. Per process (memory): with several replicas each one throttles on its own.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock, SignInThrottleOptions options)
{
    private const int MaxKeys = 100_000;
    private readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);

    /// <summary>When attempts for this name or client are refused: until when (null = may try).</summary>
    public DateTimeOffset? ThrottledUntil(string userName, string? client)
    {
        var now = clock.GetUtcNow();
        var account = Until(AccountKey(userName), options.MaxFailuresPerAccount, now);
        var address = Until(ClientKey(client), options.MaxFailuresPerClient, now);
        return account is null ? address : address is null ? account : account > address ? account : address;
    }

    /// <summary>Counts a failed attempt against the name and the client.</summary>
    public void RecordFailure(string userName, string? client)
    {
        var now = clock.GetUtcNow();
        if (windows.Count > MaxKeys)
        {
            Prune(now);
        }

        Add(AccountKey(userName), now);
        Add(ClientKey(client), now);
    }

    /// <summary>True once per key and window: the first refused attempt of a throttled name or client (the one to audit).</summary>
    public bool FirstRefusal(string userName, string? client)
    {
        var now = clock.GetUtcNow();
        var first = false;
        foreach (var key in new[] { AccountKey(userName), ClientKey(client) })
        {
            if (windows.TryGetValue(key, out var w))
            {
                lock (w)
                {
                    if (!w.RefusalAudited)
                    {
                        w.RefusalAudited = true;
                        first = true;
                    }
                }
            }
        }

        return first;
    }

    /// <summary>A successful sign-in clears the name's failures (not the client's).</summary>
    public void RecordSuccess(string userName) => windows.TryRemove(AccountKey(userName), out _);

    private DateTimeOffset? Until(string key, int max, DateTimeOffset now)
    {
        if (!windows.TryGetValue(key, out var w))
        {
            return null;
        }

        lock (w)
        {
            w.Trim(now - Span);
            return w.Failures.Count >= Math.Max(1, max) ? w.Failures.Peek() + Span : null;
        }
    }

    private void Add(string key, DateTimeOffset now)
    {
        var w = windows.GetOrAdd(key, _ => new Window());
        lock (w)
        {
            w.Trim(now - Span);
            if (w.Failures.Count == 0)
            {
                w.RefusalAudited = false;
            }

            w.Failures.Enqueue(now);
            while (w.Failures.Count > Math.Max(options.MaxFailuresPerAccount, options.MaxFailuresPerClient))
            {
                w.Failures.Dequeue();
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, w) in windows)
        {
            lock (w)
            {
                w.Trim(now - Span);
                if (w.Failures.Count == 0)
                {
                    windows.TryRemove(key, out _);
                }
            }
        }
    }

    private TimeSpan Span => TimeSpan.FromSeconds(Math.Max(1, options.WindowSeconds));

    private static string AccountKey(string userName) => "u:" + userName.Trim().ToUpperInvariant();

    private static string ClientKey(string? client) => "c:" + (client ?? "unknown");

    private sealed class Window
    {
        public Queue<DateTimeOffset> Failures { get; } = new();
        public bool RefusalAudited { get; set; }

        public void Trim(DateTimeOffset since)
        {
            while (Failures.Count > 0 && Failures.Peek() <= since)
            {
                Failures.Dequeue();
            }
        }
    }
}
