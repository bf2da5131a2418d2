using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshPortal.Tests.Support;

/// <summary>
/// The built portal (MeshPortal.Web.dll) as a real separate process with its own Hangfire server, configured by
/// environment variables like a container would be. Output is kept for failure messages.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private PortalProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <param name="createDataDirectory">
    /// Create the (new, temporary) data directory first, as an operator does for a fresh installation; false to see what
    /// the portal does with a path that does not exist.
    /// </param>
    public static PortalProcess Start(string dataDirectory, IReadOnlyDictionary<string, string> settings, IEnumerable<string>? args = null, bool createDataDirectory = true)
    {
        if (createDataDirectory)
        {
            try
            {
                Directory.CreateDirectory(dataDirectory);
            }
            catch (IOException)
            {
                // e.g. a path under a file: the portal's own answer to it is what such a test looks at
            }
        }

        var port = FreePort();
        var dll = typeof(MeshPortal.Web.Hosting.MeshPortalServices).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args ?? [])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["MeshPortal__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return Launch(start, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>
    /// Exactly the README's run command, <c>dotnet run --project src/MeshPortal.Web --launch-profile demo</c>, from the
    /// repository root with the caller's environment plus <paramref name="environment"/> (<c>--no-build</c> and the test's
    /// build configuration only skip a rebuild). <paramref name="address"/> is where the caller expects it to listen.
    /// </summary>
    public static PortalProcess StartDotnetRun(string repositoryRoot, IReadOnlyDictionary<string, string> environment, Uri address)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug"; // bin/<configuration>/<tfm>/
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var arg in new[] { "run", "--project", "src/MeshPortal.Web", "--launch-profile", "demo", "--no-build", "-c", configuration })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Launch(start, address);
    }

    /// <summary>A process whose own arguments are given: e.g. <c>MeshPortal.Web.dll admin reset-password admin</c>.</summary>
    public static PortalProcess StartCommand(string dataDirectory, params string[] args)
    {
        var dll = typeof(MeshPortal.Web.Hosting.MeshPortalServices).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["MeshPortal__DataDirectory"] = dataDirectory;
        return Launch(start, new Uri("http://127.0.0.1:1"));
    }

    private static PortalProcess Launch(ProcessStartInfo start, Uri address)
    {
        var process = Process.Start(start)!;
        var portal = new PortalProcess(process, address);
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    /// <summary>A free loopback port (for a caller that chooses the portal's address itself).</summary>
    public static int FreeLoopbackPort() => FreePort();

    /// <summary>Waits until /healthz answers 200 (migrations done, Hangfire up).</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.ReturnsAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"portal exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                return (await http.GetAsync("/healthz")).StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not answering within the client's 5 s (a loaded machine while the portal starts) is "not yet", like a
                // refused connection; only the overall timeout fails the wait.
                return HttpStatusCode.ServiceUnavailable;
            }
        }, s => s == HttpStatusCode.OK, $"portal {Address} healthy", timeout);
    }

    /// <summary>Waits for the process to end on its own (a refused start-up); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        process.WaitForExit(); // flushes the redirected output
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as Kubernetes or docker stop send it: the host shuts down in order.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: no shutdown, no cleanup, like a crashed node.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
