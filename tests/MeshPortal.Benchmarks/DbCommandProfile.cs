using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MeshPortal.Benchmarks;

/// <summary>
/// Counts the SQL commands EF Core runs in this process while recording (from its DiagnosticListener, no change to the
/// app): per command shape (the first line of its text, truncated), how many ran and their total time, so a benchmark can
/// say what one operation costs in database round trips and which statements dominate.
/// </summary>
internal sealed class DbCommandProfile : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentDictionary<string, (int Count, double Ms)> commands = new();
    private readonly List<IDisposable> subscriptions = [];
    private readonly IDisposable all;
    private readonly ConcurrentDictionary<string, int> failures = new();
    private readonly ConcurrentDictionary<string, (int Count, double Ms, double Max)> transactions = new();
    private readonly ConcurrentDictionary<Guid, long> begun = new();
    private int errors;

    public volatile bool Recording;

    public DbCommandProfile() => all = DiagnosticListener.AllListeners.Subscribe(this);

    public int Errors => errors;

    /// <summary>The distinct failed commands with their error.</summary>
    public IEnumerable<string> Failures => failures.Keys.Take(5);

    public int Total => commands.Values.Sum(c => c.Count);

    /// <summary>Forgets what was recorded (before the next round of a benchmark).</summary>
    public void Clear()
    {
        commands.Clear();
        failures.Clear();
        transactions.Clear();
        begun.Clear();
        errors = 0;
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (subscriptions)
            {
                subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (!Recording)
        {
            return;
        }

        if (value.Value is CommandErrorEventData failed)
        {
            Interlocked.Increment(ref errors);
            var text = failed.Command.CommandText.ReplaceLineEndings(" ");
            failures.TryAdd($"{(text.Length <= 110 ? text : text[..110])}: {failed.Exception.Message}", 0);
        }
        else if (value.Value is TransactionEndEventData ended)
        {
            // Begin (on SQLite: waiting for the write lock), commit, and how long each transaction lived (held the lock).
            var key = $"transaction {value.Key[(value.Key.LastIndexOf('.') + 1)..]}";
            var ms = ended.Duration.TotalMilliseconds;
            transactions.AddOrUpdate(key, (1, ms, ms), (_, t) => (t.Count + 1, t.Ms + ms, Math.Max(t.Max, ms)));
            if (value.Key.EndsWith("TransactionStarted", StringComparison.Ordinal))
            {
                begun[ended.TransactionId] = Stopwatch.GetTimestamp();
            }
            else if (begun.TryRemove(ended.TransactionId, out var since))
            {
                var lived = Stopwatch.GetElapsedTime(since).TotalMilliseconds;
                transactions.AddOrUpdate("transaction lifetime", (1, lived, lived), (_, t) => (t.Count + 1, t.Ms + lived, Math.Max(t.Max, lived)));
            }
        }
        else if (value.Value is CommandExecutedEventData executed)
        {
            var text = executed.Command.CommandText.ReplaceLineEndings(" ");
            var key = text.Length <= 110 ? text : text[..110];
            commands.AddOrUpdate(key, (1, executed.Duration.TotalMilliseconds), (_, c) => (c.Count + 1, c.Ms + executed.Duration.TotalMilliseconds));
        }
    }

    /// <summary>The <paramref name="top"/> command shapes by total time, one per line.</summary>
    public IEnumerable<string> Top(int top) => commands.OrderByDescending(c => c.Value.Ms).Take(top)
        .Select(c => $"  {c.Value.Count,7} × {c.Value.Ms / c.Value.Count,7:0.00} ms = {c.Value.Ms / 1000,6:0.0} s  {c.Key}");

    /// <summary>Transactions: begin, commit, and lifetime (count, mean, max), one per line.</summary>
    public IEnumerable<string> Transactions() => transactions.OrderBy(t => t.Key, StringComparer.Ordinal)
        .Select(t => $"  {t.Value.Count,7} × {t.Value.Ms / t.Value.Count,7:0.00} ms (max {t.Value.Max,6:0} ms)  {t.Key}");

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        all.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}
