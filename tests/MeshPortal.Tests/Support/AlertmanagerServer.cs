using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MeshPortal.Tests.Support;

/// <summary>
/// A real Prometheus Alertmanager (Debian's <c>prometheus-alertmanager</c>) on a free loopback port, with a config that sends every
/// alert group (grouped by alertname and MeshPortal's key, 1 s waits, resolved notices on) to a webhook URL. Clustering off, its
/// storage in a temp directory; killed and deleted on dispose. Tests that need it skip where the binary is missing.
/// </summary>
public sealed class AlertmanagerServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus-alertmanager";

    private readonly Process process;
    private readonly string directory;
    private readonly StringBuilder output = new();

    private AlertmanagerServer(Process process, string directory, Uri address)
    {
        this.process = process;
        this.directory = directory;
        Address = address;
    }

    public Uri Address { get; }

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

    public static string? Unavailable() => File.Exists(Binary)
        ? null
        : $"{Binary} is missing: apt-get install -y prometheus-alertmanager";

    public static async Task<AlertmanagerServer> StartAsync(string webhookUrl)
    {
        var directory = Directory.CreateTempSubdirectory("meshportal-am-").FullName;
        var config = Path.Combine(directory, "alertmanager.yml");
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: portal-test
              group_by: ['alertname', 'meshportal_key']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
            - name: portal-test
              webhook_configs:
              - url: '{webhookUrl}'
                send_resolved: true
            """);
        var port = FreePort();
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            $"--config.file={config}", $"--storage.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=", "--log.level=info",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var server = new AlertmanagerServer(Process.Start(start)!, directory, new Uri($"http://127.0.0.1:{port}"));
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.ReturnsAsync(async () =>
        {
            if (server.process.HasExited)
            {
                throw new InvalidOperationException($"alertmanager exited with {server.process.ExitCode}:\n{server.Output}");
            }

            try
            {
                return (await http.GetAsync("/-/ready")).StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return HttpStatusCode.ServiceUnavailable; // not answering within 2 s under load is "not yet"
            }
        }, s => s == HttpStatusCode.OK, "alertmanager ready", TimeSpan.FromSeconds(30));
        return server;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>Skips a test where Alertmanager is not installed (CI installs it).</summary>
public sealed class AlertmanagerFactAttribute : FactAttribute
{
    public AlertmanagerFactAttribute()
    {
        if (AlertmanagerServer.Unavailable() is { } why)
        {
            Skip = why;
        }
    }
}
