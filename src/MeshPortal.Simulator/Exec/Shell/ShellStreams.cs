namespace MeshPortal.Simulator.Exec.Shell;

/// <summary>The session's output: text for stdout (channel 1) or stderr (channel 2).</summary>
internal interface IExecOutput
{
    ValueTask WriteAsync(ExecStream stream, string text, CancellationToken cancellationToken);
}

internal enum ExecStream
{
    Null = 0,
    Stdout = 1,
    Stderr = 2,
}

/// <summary>File descriptors 1 and 2 of a command after its redirections (<c>2&gt;&amp;1</c>, <c>&gt;/dev/null</c>).</summary>
internal sealed record ShellStreams(IExecOutput Output, ExecStream Fd1 = ExecStream.Stdout, ExecStream Fd2 = ExecStream.Stderr)
{
    public ValueTask OutAsync(string text, CancellationToken ct) => WriteAsync(Fd1, text, ct);

    public ValueTask ErrAsync(string text, CancellationToken ct) => WriteAsync(Fd2, text, ct);

    public ShellStreams Redirect(IEnumerable<ShellRedirect> redirects)
    {
        var fds = new[] { ExecStream.Null, Fd1, Fd2 };
        foreach (var r in redirects)
        {
            fds[r.Fd] = r.ToFd is { } to ? fds[to] : ExecStream.Null;
        }

        return this with { Fd1 = fds[1], Fd2 = fds[2] };
    }

    private ValueTask WriteAsync(ExecStream stream, string text, CancellationToken ct) =>
        stream == ExecStream.Null || text.Length == 0 ? ValueTask.CompletedTask : Output.WriteAsync(stream, text, ct);
}
