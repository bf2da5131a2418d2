using System.Security.Claims;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

internal static class ClusterEndpoints
{
    public static void MapClusterApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/clusters").WithTags("Clusters").RequireAuthorization();
        group.MapGet("/", ListAsync).WithSummary("List registered clusters with their versions, gateway address and status.");
        group.MapGet("/{name}", GetAsync).WithSummary("One cluster with its check history.");
        group.MapPost("/", RegisterAsync).RequireAuthorization(Policies.ClustersManage).DisableAntiforgery()
            .WithSummary("Register a cluster from a kubeconfig; runs the staged connection check and stores its result.");
        group.MapPut("/{name}", UpdateAsync).RequireAuthorization(Policies.ClustersManage).DisableAntiforgery()
            .WithSummary("Change a cluster's kubeconfig, context or labels.");
        group.MapDelete("/{name}", DeleteAsync).RequireAuthorization(Policies.ClustersManage).DisableAntiforgery()
            .WithSummary("Unregister a cluster. Nothing is removed from the cluster itself.");
        group.MapPost("/{name}/check", CheckAsync).RequireAuthorization(Policies.MeshOperate).DisableAntiforgery()
            .WithSummary("Run the staged connection check now and record it.");
    }

    private static async Task<Ok<List<ClusterDto>>> ListAsync(ClusterQueries clusters, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var list = await clusters.ListWithLatestCheckAsync(ct);
        return TypedResults.Ok(list.Select(c => ClusterDto.From(c, now, includeHistory: false)).ToList());
    }

    private static async Task<Results<Ok<ClusterDto>, ProblemHttpResult>> GetAsync(string name, ClusterQueries clusters, TimeProvider clock, CancellationToken ct)
    {
        var cluster = await clusters.GetAsync(name, ClusterService.CheckHistoryDepth, ct);
        return cluster is null
            ? NotFound(name)
            : TypedResults.Ok(ClusterDto.From(cluster, clock.GetUtcNow(), includeHistory: true));
    }

    private static async Task<Results<Created<ClusterDto>, ValidationProblem>> RegisterAsync(
        RegisterClusterRequest request, ClusterService clusters, ClusterQueries views, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var draft = new ClusterDraft(request.Name?.Trim() ?? "", request.Kubeconfig ?? "", request.Context, request.Network, request.Region, request.PeerApiServer);
        var result = await clusters.RegisterAsync(draft, AuditContexts.From(http), null, ct);
        if (!result.Succeeded)
        {
            return Invalid(result);
        }

        var saved = await views.GetAsync(result.Cluster!.Name, 1, ct);
        return TypedResults.Created(PortalUrls.Api.Cluster(result.Cluster.Name), ClusterDto.From(saved!, clock.GetUtcNow(), includeHistory: false));
    }

    private static async Task<Results<Ok<ClusterDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string name, UpdateClusterRequest request, ClusterService clusters, ClusterQueries views, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await views.GetAsync(name, 0, ct) is null)
        {
            return NotFound(name);
        }

        var result = await clusters.UpdateAsync(name, new ClusterUpdate(request.Kubeconfig, request.Context, request.Network, request.Region, request.PeerApiServer), AuditContexts.From(http), null, ct);
        if (!result.Succeeded)
        {
            return Invalid(result);
        }

        var saved = await views.GetAsync(name, 1, ct);
        return TypedResults.Ok(ClusterDto.From(saved!, clock.GetUtcNow(), includeHistory: false));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, ClusterService clusters, HttpContext http, CancellationToken ct) =>
        await clusters.DeleteAsync(name, AuditContexts.From(http), ct) ? TypedResults.NoContent() : NotFound(name);

    private static async Task<Results<Ok<ClusterDto>, ProblemHttpResult>> CheckAsync(
        string name, ClusterService clusters, ClusterQueries views, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (await clusters.RecheckAsync(name, AuditContexts.From(http), ct) is null)
        {
            return NotFound(name);
        }

        var saved = await views.GetAsync(name, 1, ct);
        return TypedResults.Ok(ClusterDto.From(saved!, clock.GetUtcNow(), includeHistory: false));
    }

    private static ProblemHttpResult NotFound(string name) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Cluster not found",
        detail: $"No cluster named '{name}' is registered. GET /api/v1/clusters lists the registered clusters.");

    private static ValidationProblem Invalid(ClusterSaveResult result) => TypedResults.ValidationProblem(
        result.Errors.ToDictionary(e => e.Key, e => e.Value),
        title: "The cluster was not saved",
        detail: string.Join(" ", result.Errors.SelectMany(e => e.Value)));
}
