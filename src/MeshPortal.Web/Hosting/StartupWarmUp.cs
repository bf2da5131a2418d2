using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// Work the first requests would otherwise do, done on a second thread while start-up prepares the database (issue 20,
/// cold start): building the EF model and every mapped endpoint (minimal API request delegates, Razor component routes,
/// the jobs dashboard), which JITs routing, EF and the endpoint factories. Nothing waits for it. It reads and writes nothing and decides nothing:
/// readiness still waits for the database, the admin bootstrap and the job server as before. A failure here is only logged;
/// the same work then happens on first use.
/// </summary>
internal static class StartupWarmUp
{
    public static Task Start(WebApplication app, ILogger logger) => Task.Run(() =>
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Endpoints first: by then the database preparation has built EF's internal services, which a second thread
            // starting at the same moment would build a second time.
            var endpoints = ((IEndpointRouteBuilder)app).DataSources.Sum(source => source.Endpoints.Count);
            StartupTimeline.Mark($"warm-up: {endpoints} endpoints built");
            using (var db = app.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContext())
            {
                _ = db.Model; // no connection: the model only
            }

            StartupTimeline.Mark("warm-up: EF model built");
            logger.LogInformation("Start-up warm-up: {Count} endpoints and the EF model built in {Ms:0} ms", endpoints, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Start-up warm-up failed; the first requests do that work instead");
        }
    });
}
