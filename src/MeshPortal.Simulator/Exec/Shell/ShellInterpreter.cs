using System.Globalization;
using MeshPortal.Simulator.Exec.Curl;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Exec.Shell;

/// <summary>
/// Runs an exec's argv in the simulated container. Programs: <c>sh</c> (<c>-c SCRIPT</c>, or a script on stdin),
/// <c>curl</c>, <c>echo</c>, <c>true</c>, <c>false</c>, <c>exit</c>, <c>hostname</c>, <c>cat</c> (stdin only).
/// Unknown programs: <c>sh: LINE: NAME: not found</c> (127) inside sh, the container runtime's error (126) for a bare exec.
/// </summary>
internal sealed class ShellInterpreter(ExecContext context)
{
    private sealed class ExitRequested(int code) : Exception
    {
        public int Code { get; } = code;
    }

    /// <summary>Runs the exec's argv (not through a shell) and returns the exit code.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> argv, ShellStreams io, CancellationToken ct)
    {
        if (argv.Count == 0)
        {
            return 0;
        }

        if (Program(argv[0]) is null)
        {
            await io.ErrAsync($"OCI runtime exec failed: exec failed: container_linux.go:349: starting container process caused \"exec: \\\"{argv[0]}\\\": executable file not found in $PATH\": unknown\n", ct);
            return 126;
        }

        try
        {
            return await RunProgramAsync(argv, io, line: 1, ct);
        }
        catch (ExitRequested exit)
        {
            return exit.Code;
        }
    }

    public async Task<int> RunScriptAsync(string text, ShellStreams io, CancellationToken ct)
    {
        var (script, errorLine, error) = ShellScript.Parse(text);
        if (script is null)
        {
            await io.ErrAsync($"sh: {errorLine}: {error}\n", ct);
            return 2;
        }

        var status = 0;
        try
        {
            foreach (var command in script.Commands)
            {
                var run = command.Join switch
                {
                    ShellJoin.IfSuccess => status == 0,
                    ShellJoin.IfFailure => status != 0,
                    _ => true,
                };
                if (run)
                {
                    status = await RunCommandAsync(command, io.Redirect(command.Redirects), ct);
                }
            }
        }
        catch (ExitRequested exit)
        {
            return exit.Code;
        }

        return status;
    }

    private async Task<int> RunCommandAsync(ShellCommand command, ShellStreams io, CancellationToken ct)
    {
        if (command.Argv.Count == 0)
        {
            return 0;
        }

        if (command.Argv[0] == "exit")
        {
            var code = command.Argv.Count < 2 ? 0 : int.TryParse(command.Argv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n & 0xff : -1;
            if (code < 0)
            {
                await io.ErrAsync($"sh: {command.Line}: exit: Illegal number: {command.Argv[1]}\n", ct);
                code = 2;
            }

            throw new ExitRequested(code);
        }

        if (Program(command.Argv[0]) is null)
        {
            await io.ErrAsync($"sh: {command.Line}: {command.Argv[0]}: not found\n", ct);
            return 127;
        }

        return await RunProgramAsync(command.Argv, io, command.Line, ct);
    }

    private async Task<int> RunProgramAsync(IReadOnlyList<string> argv, ShellStreams io, int line, CancellationToken ct)
    {
        var args = argv.Skip(1).ToList();
        switch (Program(argv[0]))
        {
            case "sh":
                return await ShAsync(args, io, ct);
            case "curl":
                return await new CurlProgram(context).RunAsync(args, io, ct);
            case "echo":
                var newline = args.Count == 0 || args[0] != "-n";
                await io.OutAsync(string.Join(' ', newline ? args : args.Skip(1)) + (newline ? "\n" : ""), ct);
                return 0;
            case "true":
                return 0;
            case "false":
                return 1;
            case "exit":
                throw new ExitRequested(0);
            case "hostname":
                await io.OutAsync(PodFacts.Hostname(context.Pod) + "\n", ct);
                return 0;
            case "cat":
                return await CatAsync(args, io, ct);
            default:
                await io.ErrAsync($"sh: {line}: {argv[0]}: not found\n", ct);
                return 127;
        }
    }

    private async Task<int> ShAsync(List<string> args, ShellStreams io, CancellationToken ct)
    {
        var nested = new ShellInterpreter(context);
        if (args.Count > 0 && args[0] == "-c")
        {
            if (args.Count < 2)
            {
                await io.ErrAsync("sh: 0: -c requires an argument\n", ct);
                return 2;
            }

            return await nested.RunScriptAsync(args[1], io, ct);
        }

        if (args.Count > 0)
        {
            await io.ErrAsync($"sh: 0: Can't open {args[0]}\n", ct);
            return 127;
        }

        return await nested.RunScriptAsync(await context.ReadStdinAsync(ct), io, ct);
    }

    private async Task<int> CatAsync(List<string> args, ShellStreams io, CancellationToken ct)
    {
        var status = 0;
        foreach (var file in args.Count == 0 ? ["-"] : args)
        {
            if (file == "-")
            {
                await io.OutAsync(await context.ReadStdinAsync(ct), ct);
            }
            else
            {
                await io.ErrAsync($"cat: {file}: No such file or directory\n", ct);
                status = 1;
            }
        }

        return status;
    }

    /// <summary>The program an argv[0] names (<c>/bin/sh</c> → sh), or null when the container has no such program.</summary>
    private static string? Program(string name)
    {
        var slash = name.LastIndexOf('/');
        var baseName = slash >= 0 ? name[(slash + 1)..] : name;
        if (slash >= 0 && name[..slash] is not ("/bin" or "/usr/bin" or "/usr/local/bin" or "/sbin" or "/usr/sbin"))
        {
            return null;
        }

        return baseName is "sh" or "curl" or "echo" or "true" or "false" or "exit" or "hostname" or "cat" ? baseName : null;
    }
}
