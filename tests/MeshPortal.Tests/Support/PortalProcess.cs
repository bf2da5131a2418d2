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

    public static PortalProcess Start(string dataDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var dll = typeof(MeshPortal.Web.Hosting.MeshPortalServices).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["MeshPortal__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var portal = new PortalProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

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
            catch (HttpRequestException)
            {
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
