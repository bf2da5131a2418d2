using System.Security.Claims;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Web.Auth;
using Microsoft.EntityFrameworkCore;

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
        settings.MapGet("/canary", async (CanaryService canary, CancellationToken ct) => TypedResults.Ok(new CanaryDto(await canary.IsEnabledAsync(ct))))
            .WithSummary("Whether MeshPortal deploys an httpbin-like canary in every cluster and exports it to all others.");
        settings.MapPut("/canary", SetCanaryAsync).RequireAuthorization(Policies.ClustersManage).DisableAntiforgery()
            .WithSummary("Turn the canary on (objects and exports are created and pushed) or off (they are removed).");

        app.MapPost("/api/v1/exports/{id:int}/probe", ProbeExportAsync).WithTags("Reachability")
            .RequireAuthorization(Policies.MeshOperate).DisableAntiforgery()
            .WithSummary("Probe one export now from each of its consumer clusters (202); its latest results change as each consumer finishes.");
    }

    private static async Task<IResult> GetPodAsync(string name, ProbePodSettings settings, CancellationToken ct) =>
        await settings.GetAsync(name, ct) is { } view ? TypedResults.Ok(ProbePodDto.From(view)) : NotFound(name);

    private static async Task<IResult> SetPodAsync(string name, ProbePodRequest request, ProbePodSettings settings, IAuditLog audit, HttpContext http, CancellationToken ct)
    {
        var before = await settings.GetAsync(name, ct);
        var (view, errors) = await settings.SetAsync(name, request, ct);
        if (errors.Count == 0 && view is not null)
        {
            await audit.RecordAsync(AuditContexts.From(http), new AuditEvent("cluster.probe-pod-changed", "cluster", name, "Probe pod settings changed",
                Before: before is null ? null : ProbePodDto.From(before), After: ProbePodDto.From(view)), CancellationToken.None);
        }

        return errors.Count > 0 ? TypedResults.ValidationProblem(errors)
            : view is null ? NotFound(name)
            : TypedResults.Ok(ProbePodDto.From(view));
    }

    private static async Task<IResult> SetCanaryAsync(CanaryDto request, CanaryService canary, IAuditLog audit, HttpContext http, CancellationToken ct)
    {
        var who = AuditContexts.From(http);
        await canary.SetEnabledAsync(request.Enabled, who.Describe(), ct);
        await audit.RecordAsync(who, new AuditEvent(request.Enabled ? "canary.enabled" : "canary.disabled", "mesh", "canary",
            request.Enabled ? "Canary turned on" : "Canary turned off"), CancellationToken.None);
        return TypedResults.Ok(new CanaryDto(await canary.IsEnabledAsync(ct)));
    }

    private static async Task<IResult> ProbeExportAsync(int id, ProbeScheduler scheduler, MeshPortal.Core.Features.Exports.ExportQueries exports,
        Microsoft.AspNetCore.Authorization.IAuthorizationService authz, IAuditLog audit, HttpContext http, CancellationToken ct)
    {
        // The same 404 for an export that does not exist and one of another team: ids must not reveal what others export.
        if (await exports.GetAsync(id, ct) is not { } export
            || !(await authz.AuthorizeAsync(http.User, ExportGate.TargetOf(export), Policies.ExportsRead)).Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Export not found", detail: $"No export has id {id}; nothing was probed.");
        }

        await audit.RecordAsync(AuditContexts.From(http), new AuditEvent("probe.requested", "export", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"Manual probe of export {id} queued"), CancellationToken.None);
        return TypedResults.Accepted("/api/v1/reachability", new ProbeRunRequestedDto(scheduler.RunExport(id), "queued", "/api/v1/reachability"));
    }

    private static IResult NotFound(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Cluster not found", detail: $"No cluster named '{name}' is registered.");
}
