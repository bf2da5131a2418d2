using MeshPortal.Core.Features.MultiCluster;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary>The east-west gateway MeshPortal deploys on request: <c>deployed</c> = MeshPortal deploys and owns it.</summary>
public sealed record EastWestGatewayDto(string Cluster, bool Deployed, string Outcome);

internal static class EastWestGatewayEndpoints
{
    public static void MapEastWestGatewayApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/clusters/{name}/east-west-gateway").WithTags("Clusters").RequireAuthorization(Policies.ClustersManage);
        group.MapPost("/", DeployAsync)
            .DisableAntiforgery()
            .WithSummary("Deploy this cluster's east-west gateway (Istio's gateway chart: service account, Deployment with the gateway injection template and the network, LoadBalancer Service with 15021/15443/15012/15017). A gateway installed without MeshPortal is used as it is and never overwritten.");
        group.MapDelete("/", StopDeployingAsync)
            .DisableAntiforgery()
            .WithSummary("Stop deploying the east-west gateway: the objects MeshPortal wrote are pruned on the next push (a user-installed gateway is untouched).");
    }

    private static Task<Results<Ok<EastWestGatewayDto>, Accepted<EastWestGatewayDto>, ProblemHttpResult>> DeployAsync(
        string name, EastWestGatewayService gateways, HttpContext http, CancellationToken ct) => SetAsync(name, true, gateways, http, ct);

    private static Task<Results<Ok<EastWestGatewayDto>, Accepted<EastWestGatewayDto>, ProblemHttpResult>> StopDeployingAsync(
        string name, EastWestGatewayService gateways, HttpContext http, CancellationToken ct) => SetAsync(name, false, gateways, http, ct);

    private static async Task<Results<Ok<EastWestGatewayDto>, Accepted<EastWestGatewayDto>, ProblemHttpResult>> SetAsync(
        string name, bool deploy, EastWestGatewayService gateways, HttpContext http, CancellationToken ct)
    {
        var result = await gateways.SetAsync(name, deploy, AuditContexts.From(http), ct);
        var dto = new EastWestGatewayDto(name, result.Deployed, result.Outcome.ToString());
        return result.Outcome switch
        {
            EastWestRequestOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cluster not found", detail: result.Error),
            EastWestRequestOutcome.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The east-west gateway was not requested", detail: result.Error),
            EastWestRequestOutcome.Unchanged => TypedResults.Ok(dto),
            _ => TypedResults.Accepted(PortalUrls.Api.Cluster(name), dto),
        };
    }
}
