using MeshPortal.Core.Features.Topology;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary><c>GET /api/v1/topology</c>: clusters as nodes, probe-aggregated edges (the Topology page's view model).</summary>
internal static class TopologyEndpoints
{
    public static void MapTopologyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/topology", GraphAsync)
            .WithTags("Topology").RequireAuthorization()
            .WithSummary("Clusters (Istio version, network, gateway, API, sync and trust badges) and edges between them aggregated from probes: share OK, worst class, p50 latency; stale edges are 'stale'.");
    }

    private static async Task<Ok<TopologyGraph>> GraphAsync(TopologyQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.GraphAsync(ct));
}
