using MeshPortal.Web.Api;
using MeshPortal.Web.Auth;
using MeshPortal.Web.Components;
using MeshPortal.Web.Health;
using MeshPortal.Web.Security;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Prometheus;
using Scalar.AspNetCore;

namespace MeshPortal.Web.Hosting;

public static class MeshPortalPipeline
{
    public static WebApplication MapMeshPortal(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (!StartupTimeline.Reported)
            {
                StartupTimeline.MarkOnce("first request");
            }

            return next(context);
        });
        var proxies = app.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (proxies.Enabled)
        {
            app.UseForwardedHeaders(ProxySetup.Build(proxies)); // first: everything after sees the client's address and scheme
        }

        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts(); // on HTTPS requests (directly or via a trusted proxy's X-Forwarded-Proto)
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true); // pages: the app's not-found page (issue 16)
        app.UseStatusCodePages(async ctx =>
        {
            // API callers get problem details; pages get the not-found page.
            if (CookieSetup.IsApiRequest(ctx.HttpContext.Request))
            {
                var status = ctx.HttpContext.Response.StatusCode;
                await ProblemWriter.WriteAsync(ctx.HttpContext, status, ApiErrors.StatusText(status));
            }
        });
        app.UseApiErrors();
        app.UseCrossOriginGuard();
        app.UseScreenTokenLinks();
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: API limits are per user
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        var startup = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeshPortal.Startup");
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = (context, report) =>
            {
                if (report.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                {
                    StartupTimeline.ReportReady(startup, report.TotalDuration);
                }
                else
                {
                    StartupTimeline.MarkOnce("not ready (" + string.Join("; ", report.Entries.Where(e => e.Value.Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}")) + ")");
                }

                context.Response.ContentType = "text/plain";
                return context.Response.WriteAsync(report.Status.ToString());
            },
        }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json");
        // Interactive API page for signed-in users; Scalar serves its bundled scalar.js from this app (no CDN, no web fonts).
        app.MapScalarApiReference(PortalUrls.ApiDocsPath, o => o
            .WithTitle("MeshPortal API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts());
        PortalMetrics.Register(app.Services);
        TrustMetrics.Register(app.Services); // metrics: trust
        AlertMetrics.Register(app.Services); // metrics: alerts
        // Exporters are conventionally scraped without sign-in and /metrics holds no secrets;
        // MeshPortal:Metrics:RequireToken=true makes it need a bearer token like the API.
        var metrics = app.MapMetrics("/metrics");
        if (!app.Configuration.GetValue<bool>("MeshPortal:Metrics:RequireToken"))
        {
            metrics.AllowAnonymous();
        }
        app.MapAccountEndpoints();
        app.MapClusterApi();
        app.MapEastWestGatewayApi();
        app.MapSyncApi(); // map: reconciliation
        app.MapTrustApi(); // map: trust
        app.MapExportApi(); // map: exports
        app.MapAdminApi(); // map: teams and users
        app.MapReachabilityApi(); app.MapTopologyApi(); app.MapProbeSettingsApi(); // map: probes
        app.MapAuditApi();
        app.MapTokenApi();
        app.MapAlertApi(); // map: alerts
        app.MapJobsDashboard();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
