using System.Text;
using MeshPortal.Simulator.Exec.Shell;
using MeshPortal.Simulator.Tests.Mesh;

namespace MeshPortal.Simulator.Tests.Exec;

/// <summary>Runs a command in a pod of a fake mesh, in memory, recording output and the waits it asked for.</summary>
internal sealed class ShellRun : IExecOutput
{
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    public string Stdout => _stdout.ToString();

    public string Stderr => _stderr.ToString();

    public int ExitCode { get; private set; }

    public List<TimeSpan> Delays { get; } = [];

    public List<(ExecStream Stream, string Text)> Writes { get; } = [];

    public ValueTask WriteAsync(ExecStream stream, string text, CancellationToken cancellationToken)
    {
        (stream == ExecStream.Stdout ? _stdout : _stderr).Append(text);
        Writes.Add((stream, text));
        return ValueTask.CompletedTask;
    }

    public static async Task<ShellRun> ExecAsync(World world, string cluster, IReadOnlyList<string> argv,
        string ns = "foo", string? pod = null, string stdin = "", bool tty = false, DateTimeOffset? now = null)
    {
        var run = new ShellRun();
        var source = world[cluster];
        var context = new ExecContext
        {
            Mesh = world.Mesh,
            Cluster = source,
            Pod = pod is null ? world.Pod(cluster, ns) : source.Get("", "pods", ns, pod) ?? throw new InvalidOperationException($"no pod {ns}/{pod}"),
            Container = "sleep",
            Tty = tty,
            Time = new FixedTime(now ?? new DateTimeOffset(2020, 5, 16, 23, 3, 22, TimeSpan.Zero)),
            ReadStdinAsync = _ => Task.FromResult(stdin),
            DelayAsync = (d, _) =>
            {
                run.Delays.Add(d);
                return Task.CompletedTask;
            },
        };
        run.ExitCode = await new ShellInterpreter(context).RunAsync(argv, new ShellStreams(run), CancellationToken.None);
        return run;
    }

    public static Task<ShellRun> ShAsync(World world, string cluster, string script) =>
        ExecAsync(world, cluster, ["sh", "-c", script]);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
