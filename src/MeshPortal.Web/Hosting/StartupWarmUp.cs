using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// Work the first requests would otherwise do, done on a second thread while start-up prepares the database (issue 20,
/// cold start): building every mapped endpoint (minimal API request delegates, Razor component routes, the jobs
/// dashboard), which JITs routing and the endpoint factories, then compiling the lookups the admin bootstrap runs first (a
/// role and a user by name), which JITs EF's query pipeline. Nothing waits for it. It reads and writes
/// nothing and decides nothing: readiness still waits for the database, the admin bootstrap and the job server as before.
/// A failure here is only logged; the same work then happens on first use.
/// <para>
/// The EF model is not built here: the database preparation needs it first and builds it on its own thread at once, while
/// this thread builds the endpoints on the other core. The query compilation then finds the model built (or waits for it:
/// EF builds a model once).
/// </para>
/// </summary>
internal static class StartupWarmUp
{
    public static Task Start(WebApplication app, ILogger logger) => Task.Run(() =>
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var endpoints = ((IEndpointRouteBuilder)app).DataSources.Sum(source => source.Endpoints.Count);
            StartupTimeline.Mark($"warm-up: {endpoints} endpoints built");
            using (var db = app.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContext())
            {
                // Compiled only (ToQueryString): no connection is opened. Ordered, as a row limit without an order is an EF
                // warning (10102) that every start logged twice; the pipeline it warms is the same.
                const string name = "warm-up";
                _ = db.Roles.AsNoTracking().Where(r => r.NormalizedName == name).OrderBy(r => r.Id).Take(1).ToQueryString();
                _ = db.Users.Where(u => u.NormalizedUserName == name).OrderBy(u => u.Id).Take(1).ToQueryString();
            }

            StartupTimeline.Mark("warm-up: EF queries compiled");
            logger.LogInformation("Start-up warm-up: {Count} endpoints and the EF model built in {Ms:0} ms (query pipeline compiled)", endpoints, watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Start-up warm-up failed; the first requests do that work instead");
        }
    });
}
