using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Tests.Support;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

/// <summary>
/// A real HTTP receiver (Kestrel) on a fixed loopback port that records every POST and answers 200. It can be stopped (connections
/// refused, as a receiver that is down) and started again on the same port; what it received is kept across restarts.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly List<ReceivedRequest> received = [];
    private WebApplication? app;

    public LoopbackReceiver(int? port = null) => Port = port ?? AlertmanagerServer.FreePort();

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (received)
            {
                return [.. received];
            }
        }
    }

    public IReadOnlyList<ReceivedRequest> At(string path) => [.. Received.Where(r => r.Path == path)];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            lock (received)
            {
                received.Add(new ReceivedRequest(http.Request.Path.Value ?? "", headers, body, DateTimeOffset.UtcNow));
            }

            return Results.Ok();
        });
        await app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
