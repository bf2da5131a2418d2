using System.Security.Claims;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

public sealed record ProbePodDto(string Cluster, string? Namespace, string? LabelSelector, bool OwnPod,
    string EffectiveNamespace, string EffectiveLabelSelector, string? EffectiveContainer)
{
    public static ProbePodDto From(ProbePodView v) => new(v.Cluster, v.Namespace, v.LabelSelector, v.OwnPod,
        v.Effective.Namespace, v.Effective.LabelSelector, v.Effective.Container);
}

public sealed record CanaryDto(bool Enabled);

/// <summary>
/// The probe pod of a cluster (<c>GET|PUT /api/v1/clusters/{name}/probe-pod</c>), the mesh-wide canary
/// (<c>GET|PUT /api/v1/settings/canary</c>) and "probe now" for one export (<c>POST /api/v1/exports/{id}/probe</c>).
/// </summary>
internal static class ProbeSettingsEndpoints
{
    public static void MapProbeSettingsApi(this IEndpointRouteBuilder app)
    {
        var clusters = app.MapGroup("/api/v1/clusters").WithTags("Reachability").RequireAuthorization();
        clusters.MapGet("/{name}/probe-pod", GetPodAsync)
            .WithSummary("Where this cluster's probes run: an existing pod by namespace and label selector (empty = default foo / app=sleep), or MeshPortal's own probe pod.");
        clusters.MapPut("/{name}/probe-pod", SetPodAsync).RequireAuthorization(Policies.ClustersManage).DisableAntiforgery()
            .WithSummary("Set the probe pod. ownPod=true makes MeshPortal deploy namespace meshportal-probe (sidecar-injected) with a curl pod by server-side apply, and probe from it; false removes them.");

        var settings = app.MapGroup("/api/v1/settings").WithTags("Reachability").RequireAuthorization();
        settings.MapGet("/canary", GetCanaryAsync)
            .WithSummary("Whether MeshPortal deploys an httpbin-like canary in every cluster and exports it to all others.");
        settings.MapPut("/canary", SetCanaryAsync).RequireAuthorization(Policies.ClustersManage).DisableAntiforgery()
            .WithSummary("Turn the canary on (objects and exports are created and pushed) or off (they are removed).");

        app.MapPost("/api/v1/exports/{id:int}/probe", ProbeExportAsync).WithTags("Reachability")
            .RequireAuthorization(Policies.MeshOperate).DisableAntiforgery()
            .WithSummary("Probe one export now from each of its consumer clusters (202); its latest results change as each consumer finishes.");
    }

    private static async Task<Ok<CanaryDto>> GetCanaryAsync(CanaryService canary, CancellationToken ct) =>
        TypedResults.Ok(new CanaryDto(await canary.IsEnabledAsync(ct)));

    private static async Task<Results<Ok<ProbePodDto>, ProblemHttpResult>> GetPodAsync(string name, ProbePodSettings settings, CancellationToken ct) =>
        await settings.GetAsync(name, ct) is { } view ? TypedResults.Ok(ProbePodDto.From(view)) : NotFound(name);

    private static async Task<Results<Ok<ProbePodDto>, ValidationProblem, ProblemHttpResult>> SetPodAsync(string name, ProbePodRequest request, SetProbePodCommand command, HttpContext http, CancellationToken ct)
    {
        var result = await command.RunAsync(Actors.From(http), name, request, ct);
        return result.Status switch
        {
            CommandStatus.Done => TypedResults.Ok(ProbePodDto.From(result.Value!)),
            CommandStatus.Invalid => TypedResults.ValidationProblem(result.Errors),
            _ => CommandProblems.Problem(result, "Cluster not found"),
        };
    }

    private static async Task<Results<Ok<CanaryDto>, ProblemHttpResult>> SetCanaryAsync(CanaryDto request, SetCanaryCommand command, HttpContext http, CancellationToken ct)
    {
        var result = await command.RunAsync(Actors.From(http), request.Enabled, ct);
        return result.Succeeded ? TypedResults.Ok(new CanaryDto(result.Value)) : CommandProblems.Problem(result, "Not found");
    }

    private static async Task<Results<Accepted<ProbeRunRequestedDto>, ProblemHttpResult>> ProbeExportAsync(int id, RequestProbeCommand command, HttpContext http, CancellationToken ct)
    {
        var result = await command.ExportAsync(Actors.From(http), id, ct);
        return result.Value is { } job
            ? TypedResults.Accepted(PortalUrls.Api.Reachability(), new ProbeRunRequestedDto(job, "queued", PortalUrls.Api.Reachability()))
            : CommandProblems.Problem(result, "Export not found");
    }

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cluster not found", detail: $"No cluster named '{name}' is registered.");
}
