using System.Collections.Frozen;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshPortal.Simulator.Hosting;

/// <summary>
/// One Kestrel <see cref="WebApplication"/> for the whole mesh: one HTTPS listener per cluster (each with its own
/// certificate) plus one plain-HTTP admin listener, all on 127.0.0.1; requests are dispatched by local port.
/// </summary>
internal sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private FrozenDictionary<int, ClusterApiHandler> _handlers = FrozenDictionary<int, ClusterApiHandler>.Empty;
    private int _adminPort = -1;

    private SimulatorServer(WebApplication app) => _app = app;

    public int AdminPort => _adminPort;

    public static async Task<SimulatorServer> StartAsync(IReadOnlyList<SimulatedCluster> clusters, int adminPort,
        Func<SimulatedCluster, ExecHandler?> exec, AdminApi admin, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "MeshPortal.Simulator",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Embedded in another app (the portal), ignore its appsettings/environment (Kestrel endpoints, URLs, logging).
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrelHttpsConfiguration();
        var listeners = new List<(SimulatedCluster Cluster, ListenOptions Listen)>();
        ListenOptions? adminListen = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            foreach (var cluster in clusters)
            {
                k.Listen(IPAddress.Loopback, cluster.Options.Port, lo =>
                {
                    // Before TLS: an "API down" cluster resets new connections.
                    lo.Use(next => connection =>
                    {
                        if (cluster.Faults.ApiDown)
                        {
                            connection.Abort();
                            return Task.CompletedTask;
                        }

                        return next(connection);
                    });
                    lo.UseHttps(cluster.Certificates.ServingCertificate);
                    listeners.Add((cluster, lo));
                });
            }

            k.Listen(IPAddress.Loopback, adminPort, lo => adminListen = lo);
        });

        var app = builder.Build();
        var server = new SimulatorServer(app);
        app.UseWebSockets();
        app.Run(ctx => server.DispatchAsync(ctx, admin));
        await app.StartAsync(ct);

        var handlers = new Dictionary<int, ClusterApiHandler>();
        foreach (var (cluster, listen) in listeners)
        {
            var port = ((IPEndPoint)listen.EndPoint).Port;
            cluster.Server = new Uri($"https://127.0.0.1:{port}");
            handlers[port] = new ClusterApiHandler(cluster, exec(cluster));
        }

        server._handlers = handlers.ToFrozenDictionary();
        server._adminPort = ((IPEndPoint)adminListen!.EndPoint).Port;
        return server;
    }

    private Task DispatchAsync(HttpContext ctx, AdminApi admin)
    {
        var port = ctx.Connection.LocalPort;
        if (port == _adminPort)
        {
            return admin.HandleAsync(ctx);
        }

        if (_handlers.TryGetValue(port, out var handler))
        {
            return handler.HandleAsync(ctx);
        }

        ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
