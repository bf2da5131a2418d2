using System.Diagnostics;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// Where a start-up's time goes (issue 20, cold start): each phase is marked with the time since the process started
/// (runtime start-up and JIT included), and the whole list is logged once at Information under
/// <c>MeshPortal.Startup</c> when the first <c>/readyz</c> answers 200. Marks before the logger exists are kept here.
/// </summary>
public static class StartupTimeline
{
    private static readonly Lock Gate = new();
    private static readonly List<(string Phase, double Ms)> Marks = [];
    private static readonly DateTime ProcessStart = StartTime();
    private static volatile bool reported;

    /// <summary>Whether the timeline was logged (marks after that are ignored).</summary>
    public static bool Reported => reported;

    public static void Mark(string phase)
    {
        var ms = (DateTime.UtcNow - ProcessStart).TotalMilliseconds;
        lock (Gate)
        {
            Marks.Add((phase, ms));
        }
    }

    /// <summary>Marks <paramref name="phase"/> only the first time it is seen (e.g. the first "not ready" answer of each kind).</summary>
    public static void MarkOnce(string phase)
    {
        if (reported)
        {
            return;
        }

        lock (Gate)
        {
            if (reported || Marks.Any(m => m.Phase == phase))
            {
                return;
            }
        }

        Mark(phase);
    }

    /// <summary>The phases so far as "phase 123 ms, ..." (for the log line and the tests).</summary>
    public static string Describe()
    {
        lock (Gate)
        {
            return string.Join(", ", Marks.Select(m => $"{m.Phase} {m.Ms:0} ms"));
        }
    }

    /// <summary>Logs the timeline once, the first time the portal reports ready.</summary>
    public static void ReportReady(ILogger logger, TimeSpan checks)
    {
        lock (Gate)
        {
            if (reported)
            {
                return;
            }

            reported = true;
        }

        Mark($"ready (checks {checks.TotalMilliseconds:0} ms)");
        logger.LogInformation("Start-up timeline (since process start): {Timeline}", Describe());
    }

    private static DateTime StartTime()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            return process.StartTime.ToUniversalTime();
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return DateTime.UtcNow;
        }
    }
}

/// <summary>Marks when the hosted services (Hangfire's server, the recurring-job registrar, Kestrel...) start and have started.</summary>
internal sealed class StartupTimelineMarks : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        StartupTimeline.Mark("hosted services starting");
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        StartupTimeline.Mark("hosted services started");
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
