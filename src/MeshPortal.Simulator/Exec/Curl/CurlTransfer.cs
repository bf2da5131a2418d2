using System.Globalization;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Exec.Curl;

/// <summary>The outcome of one URL as curl reports it (exit code, error message, timings, response).</summary>
internal sealed record CurlTransfer(CurlUrl? Url, string RawUrl, int ExitCode, string? Error)
{
    public HttpReply? Reply { get; init; }

    public MeshAnswer? Answer { get; init; }

    public double TimeTotal { get; init; }

    public double TimeConnect { get; init; }

    /// <summary>Wall time the simulator waits for this transfer (never more than the link latency, nor curl's limit).</summary>
    public TimeSpan RealDelay { get; init; }

    public int HttpCode => Reply?.Status ?? 0;

    /// <summary>Linux gives up a TCP connect after ~127 s of SYN retries (tcp_syn_retries = 6).</summary>
    public static readonly TimeSpan OsConnectTimeout = TimeSpan.FromSeconds(127);

    /// <summary>
    /// Applies curl's rules to the mesh's answer: <c>--connect-timeout</c> only limits the TCP connect (which, through a
    /// sidecar, always succeeds at once); <c>--max-time</c> limits everything. Exit codes: 6 unresolved, 7 refused or
    /// OS connect timeout, 28 curl's own timeout, 56 reset, 35 https to the plain-HTTP sidecar listener, 22 -f on ≥ 400.
    /// </summary>
    public static CurlTransfer From(CurlOptions options, CurlUrl url, string rawUrl, MeshAnswer answer)
    {
        var maxTime = options.MaxTime is { } m && m > 0 ? TimeSpan.FromSeconds(m) : (TimeSpan?)null;
        var connectLimit = Min(maxTime, options.ConnectTimeout is { } c && c > 0 ? TimeSpan.FromSeconds(c) : null);
        var quickConnect = 0.0001 + (answer.Address is null ? 0 : 0.00005);
        var start = new CurlTransfer(url, rawUrl, 0, null) { Answer = answer };

        switch (answer.Transport)
        {
            case MeshTransport.NotResolved:
                return start with { ExitCode = 6, Error = $"Could not resolve host: {url.Host}", TimeTotal = 0.002 };
            case MeshTransport.Refused:
                return start with { ExitCode = 7, Error = $"Failed to connect to {url.Host} port {url.Port}: Connection refused", TimeTotal = 0.0002 };
            case MeshTransport.ConnectHang when connectLimit is { } limit:
                return TimedOut(start, limit, $"Connection timed out after {Ms(limit)} milliseconds", answer, connect: 0);
            case MeshTransport.ConnectHang:
                return start with
                {
                    ExitCode = 7,
                    Error = $"Failed to connect to {url.Host} port {url.Port}: Connection timed out",
                    TimeTotal = OsConnectTimeout.TotalSeconds,
                    RealDelay = answer.RealDelay,
                };
        }

        if (maxTime is { } max && answer.Elapsed > max)
        {
            return TimedOut(start, max, $"Operation timed out after {Ms(max)} milliseconds with 0 bytes received", answer, quickConnect);
        }

        var done = start with { TimeTotal = answer.Elapsed.TotalSeconds, TimeConnect = quickConnect, RealDelay = answer.RealDelay };
        if (answer.Transport == MeshTransport.Reset)
        {
            return done with { ExitCode = 56, Error = "Recv failure: Connection reset by peer" };
        }

        if (url.Scheme == "https")
        {
            return done with { ExitCode = 35, Error = "error:1408F10B:SSL routines:ssl3_get_record:wrong version number" };
        }

        var reply = answer.Reply!;
        return options.Fail && reply.Status >= 400
            ? done with { ExitCode = 22, Error = $"The requested URL returned error: {reply.Status} {reply.ReasonPhrase}", Reply = reply }
            : done with { Reply = reply };
    }

    public static CurlTransfer Invalid(string rawUrl, int exitCode, string error) => new(null, rawUrl, exitCode, error);

    private static CurlTransfer TimedOut(CurlTransfer t, TimeSpan limit, string error, MeshAnswer answer, double connect) => t with
    {
        ExitCode = 28,
        Error = error,
        TimeTotal = limit.TotalSeconds + 0.001,
        TimeConnect = connect,
        RealDelay = answer.RealDelay < limit ? answer.RealDelay : limit,
    };

    // curl reports the millisecond after the limit expired: --max-time 5 → "after 5001 milliseconds".
    private static string Ms(TimeSpan limit) => ((long)limit.TotalMilliseconds + 1).ToString(CultureInfo.InvariantCulture);

    private static TimeSpan? Min(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
