using MeshPortal.Core.Persistence;
using MeshPortal.Core.Probes;
using MeshPortal.Core.Topology;
using MeshPortal.Web.Auth;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Web.Api;

public sealed record ReachabilityResultDto(string Source, string Target, string Host, int Port, string Status, int? HttpStatus, double? LatencyMs,
    DateTimeOffset ObservedAt, string? Message, string? Hint, bool Stale);

public sealed record ReachabilityDto(IReadOnlyList<ReachabilityResultDto> Results);

public sealed record ProbeRunRequestedDto(string JobId, string State, string Results);

/// <summary>Latest probe results (<c>GET /api/v1/reachability</c>) and "probe now" (<c>POST /api/v1/reachability/run</c>).</summary>
internal static class ReachabilityEndpoints
{
    public static void MapReachabilityApi(this IEndpointRouteBuilder app)
    {
        ReachabilityMetrics.Register(app.ServiceProvider);
        var group = app.MapGroup("/api/v1/reachability").WithTags("Reachability").RequireAuthorization();
        group.MapGet("", LatestAsync).WithSummary("The latest probe result of every (consumer cluster, exported host, port), classified, with a hint.");
        group.MapPost("/run", RunNow).RequireAuthorization(Policies.MeshOperate).DisableAntiforgery()
            .WithSummary("Start a probe cycle now (202), or only from one consumer cluster with ?cluster=<name>; results replace the latest ones as each consumer cluster finishes.");
    }

    private static async Task<IResult> LatestAsync(TopologyQueries queries, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var results = await queries.LatestResultsAsync(ct);
        return TypedResults.Ok(new ReachabilityDto([.. results.Select(r => new ReachabilityResultDto(r.Source, r.Target, r.Host, r.Port, r.Status.ToString(),
            r.HttpStatus, r.LatencyMs, r.ObservedAt, r.Message, r.Hint, now - r.ObservedAt > queries.StaleAfter))]));
    }

    private static async Task<IResult> RunNow(ProbeScheduler scheduler, IDbContextFactory<MeshPortalDbContext> dbFactory, MeshPortal.Core.Audit.IAuditLog audit,
        HttpContext http, string? cluster, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(cluster))
        {
            await audit.RecordAsync(MeshPortal.Web.Auth.AuditContexts.From(http),
                new MeshPortal.Core.Audit.AuditEvent("probe.requested", "probe", "all clusters", "Manual probe cycle queued"), CancellationToken.None);
            return TypedResults.Accepted("/api/v1/reachability", new ProbeRunRequestedDto(scheduler.RunNow(), "queued", "/api/v1/reachability"));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var id = await db.Clusters.Where(c => c.Name == cluster).Select(c => (int?)c.Id).SingleOrDefaultAsync(ct);
        if (id is not null)
        {
            await audit.RecordAsync(MeshPortal.Web.Auth.AuditContexts.From(http),
                new MeshPortal.Core.Audit.AuditEvent("probe.requested", "probe", cluster, $"Manual probe of {cluster} queued"), CancellationToken.None);
        }

        return id is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cluster not found",
                detail: $"No cluster named '{cluster}' is registered; nothing was probed.")
            : TypedResults.Accepted("/api/v1/reachability", new ProbeRunRequestedDto(scheduler.RunCluster(id.Value), "queued", "/api/v1/reachability"));
    }
}
