using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

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
        group.MapGet("", LatestAsync).WithSummary("The latest probe result of every (consumer cluster, exported host, port), classified, with a hint, in (source, host, port) order. Filters: source, target (cluster names), status (a class such as Ok or Dns), q (text in the host). Paging: limit (1-5000) returns at most that many and, when more follow, an X-Continue header; pass its value as continue for the next page. Without limit every result.");
        group.MapPost("/run", RunNow).RequireAuthorization(Policies.MeshOperate).DisableAntiforgery()
            .WithSummary("Start a probe cycle now (202), or only from one consumer cluster with ?cluster=<name>; results replace the latest ones as each consumer cluster finishes.");
    }

    private static async Task<Results<Ok<ReachabilityDto>, ProblemHttpResult>> LatestAsync(TopologyQueries queries, TimeProvider time, HttpResponse response, CancellationToken ct,
        int? limit = null, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "continue")] string? next = null, string? source = null, string? target = null,
        string? status = null, string? q = null)
    {
        var (take, after, error) = ListPaging.Read(limit, next, ResultListQuery.MaxLimit);
        ResultPosition? position = null;
        if (error is null && after is not null)
        {
            var parts = after.Split('\n');
            position = parts.Length == 3 && int.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var port) ? new ResultPosition(parts[0], parts[1], port) : null;
            error = position is null ? "The continue token is not one this API issued; start again without 'continue'." : null;
        }

        ProbeStatus? wanted = null;
        if (error is null && !string.IsNullOrWhiteSpace(status))
        {
            wanted = Enum.TryParse<ProbeStatus>(status.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
            error = wanted is null ? $"status '{status.Trim()}' is not a probe class; use one of {string.Join(", ", Enum.GetNames<ProbeStatus>())}." : null;
        }

        if (error is not null)
        {
            return ListPaging.Problem(error);
        }

        var now = time.GetUtcNow();
        var (results, last) = await queries.PageResultsAsync(new ResultListQuery(take, position, source?.Trim(), target?.Trim(), wanted, q?.Trim()), ct);
        ListPaging.SetNext(response, last is null ? null : $"{last.Source}\n{last.Host}\n{last.Port}");
        return TypedResults.Ok(new ReachabilityDto([.. results.Select(r => new ReachabilityResultDto(r.Source, r.Target, r.Host, r.Port, r.Status.ToString(),
            r.HttpStatus, r.LatencyMs, r.ObservedAt, r.Message, r.Hint, now - r.ObservedAt > queries.StaleAfter))]));
    }

    private static async Task<Results<Accepted<ProbeRunRequestedDto>, ProblemHttpResult>> RunNow(RequestProbeCommand command, HttpContext http, string? cluster, CancellationToken ct)
    {
        var actor = Actors.From(http);
        var result = string.IsNullOrWhiteSpace(cluster)
            ? await command.AllAsync(actor, ct)
            : await command.ClusterAsync(actor, cluster, ProbeReason.Manual, ct);
        return result.Value is { } job
            ? TypedResults.Accepted(PortalUrls.Api.Reachability(), new ProbeRunRequestedDto(job, "queued", PortalUrls.Api.Reachability()))
            : CommandProblems.Problem(result, "Cluster not found");
    }
}
