using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace MeshPortal.Tests.Support;

/// <summary>Raw TCP listeners on 127.0.0.1 for the network stages (not an API server: they never answer HTTP).</summary>
internal sealed class TestListener : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private TestListener(Func<TcpClient, CancellationToken, Task> onAccept)
    {
        listener.Start();
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await onAccept(client, stop.Token);
                        }
                        catch (Exception)
                        {
                            // The client went away; fine for these tests.
                        }
                    }
                });
            }
        });
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>Accepts and closes at once.</summary>
    public static TestListener Closing() => new((_, _) => Task.CompletedTask);

    /// <summary>Accepts and never says a word.</summary>
    public static TestListener Silent() => new((_, ct) => Task.Delay(Timeout.Infinite, ct));

    /// <summary>Completes a TLS handshake with <paramref name="certificate"/>, then closes.</summary>
    public static TestListener Tls(X509Certificate2 certificate) => new(async (client, ct) =>
    {
        await using var ssl = new SslStream(client.GetStream());
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct);
        await Task.Delay(200, ct);
    });

    /// <summary>A port on 127.0.0.1 where nothing listens (bound, then released).</summary>
    public static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        stop.Dispose();
    }
}
