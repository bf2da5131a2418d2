using MeshPortal.Simulator.Exec.Shell;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Exec.Curl;

/// <summary>curl in a pod: parses its argv, asks the mesh for each URL in turn, writes what curl would write.</summary>
internal sealed class CurlProgram(ExecContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<string> args, ShellStreams io, CancellationToken ct)
    {
        var (options, usage) = CurlCommandLine.Parse(args);
        if (options is null)
        {
            await io.ErrAsync(usage!, ct);
            return 2;
        }

        var exitCode = 0;
        foreach (var raw in options.Urls)
        {
            var transfer = Transfer(options, raw);
            if (transfer.RealDelay > TimeSpan.Zero)
            {
                await context.DelayAsync(transfer.RealDelay, ct);
            }

            await WriteAsync(options, transfer, io, ct);
            exitCode = transfer.ExitCode; // without --fail-early, the last URL decides curl's exit code
        }

        return exitCode;
    }

    private CurlTransfer Transfer(CurlOptions options, string raw)
    {
        var (url, code, error) = CurlUrl.Parse(raw);
        if (url is null)
        {
            return CurlTransfer.Invalid(raw, code, error!);
        }

        var request = Request(options, url);
        return CurlTransfer.From(options, url, raw, MeshRouter.Send(request));
    }

    private MeshRequest Request(CurlOptions options, CurlUrl url) =>
        new(context.Mesh, context.Cluster, context.Pod, options.EffectiveMethod, url.Host, url.Port, url.PathAndQuery, context.Time.GetUtcNow())
        {
            ExtraHeaders = options.Headers,
            UserAgent = options.UserAgent,
        };

    private async Task WriteAsync(CurlOptions options, CurlTransfer transfer, ShellStreams io, CancellationToken ct)
    {
        var showMeter = !options.Silent && !options.Verbose && (!context.Tty || !options.OutputIsStdout) && transfer.Url is not null;
        if (showMeter)
        {
            await io.ErrAsync(CurlOutputFormatter.ProgressMeter(transfer, options.Head), ct);
        }

        if (options.Verbose && transfer.Answer is not null)
        {
            await io.ErrAsync(CurlOutputFormatter.VerboseRequest(transfer, options, Request(options, transfer.Url!).HostHeader), ct);
        }

        if (transfer.Reply is { } reply && options.OutputIsStdout && transfer.ExitCode == 0)
        {
            var text = options.Head || options.Include ? CurlOutputFormatter.HeaderBlock(reply) : "";
            text += options.Head || options.EffectiveMethod == "HEAD" ? "" : reply.Body;
            await io.OutAsync(text, ct);
        }

        if (transfer.ExitCode != 0 && (!options.Silent || options.ShowError))
        {
            await io.ErrAsync(CurlOutputFormatter.ErrorLine(transfer), ct);
        }

        if (options.WriteOut is { } format)
        {
            var (text, warnings) = CurlWriteOut.Expand(format, transfer);
            await io.ErrAsync(warnings, ct);
            await io.OutAsync(text, ct);
        }
    }
}
