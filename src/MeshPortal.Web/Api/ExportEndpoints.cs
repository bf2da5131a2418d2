using System.Security.Claims;
using MeshPortal.Core.Features.ExportMoves;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

internal static class ExportEndpoints
{
    public static void MapExportApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/exports").WithTags("Exports").RequireAuthorization(Policies.ExportsRead);
        group.MapGet("/", ListAsync).WithSummary("List the exports you may see (team members: their teams' exports) with host, VIP, ports, owning team and per-consumer sync state, in host order. Filters: cluster, namespace, q (text in host or service). Paging: limit (1-1000) returns at most that many and, when more follow, an X-Continue header; pass its value as continue for the next page. Without limit the whole list.");
        group.MapGet("/{id:int}", GetAsync).WithSummary("One export. 404 also when it belongs to another team.");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.ExportsWrite).DisableAntiforgery()
            .WithSummary("Export a service to other clusters as <service>.<namespace>.global. No ports = all; no consumers = every other cluster. Team members: only from a (cluster, namespace) one of their teams is granted (403 otherwise); 'team' picks the owning team when several qualify.");
        group.MapPut("/{id:int}", UpdateAsync).RequireAuthorization(Policies.ExportsWrite).DisableAntiforgery()
            .WithSummary("Change an export's ports or consumers (owning team or admin).");
        group.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(Policies.ExportsWrite).DisableAntiforgery()
            .WithSummary("Unexport: the ServiceEntries are pruned from every consumer and the VIP is freed (owning team or admin).");
        group.MapPut("/{id:int}/team", MoveAsync).RequireAuthorization(Policies.ExportsAssign).DisableAntiforgery()
            .WithSummary("Admins: give the export to another team (body {\"team\": \"name\"}, null for none).");
        group.MapPost("/{id:int}/move", StartMoveAsync).RequireAuthorization(Policies.ExportsWrite).DisableAntiforgery()
            .WithSummary("Move a .global export to multi-primary (owning team or admin; audited): MeshPortal writes the multi-primary objects beside the .global ones, probes the new name from every moving consumer until it answers, then removes the .global objects. 202 with the export (its 'move' says the phase and, when done, the new names); 409 with the reason when the move is not offered.");
        group.MapDelete("/{id:int}/move", CancelMoveAsync).RequireAuthorization(Policies.ExportsWrite).DisableAntiforgery()
            .WithSummary("Stop a move under way: the export stays on .global and the objects the move added are pruned. 409 when no move is under way.");
        group.MapExportPreview();

        var settings = app.MapGroup("/api/v1/settings").WithTags("Exports").RequireAuthorization();
        settings.MapGet("/service-scope", GetServiceScopeAsync)
            .WithSummary("Whether only exported services leave their cluster (MeshPortal manages mesh config serviceSettings in the multi-primary clusters without MCS discovery).");
        settings.MapPut("/service-scope", SetServiceScopeAsync).RequireAuthorization(Policies.ClustersManage).DisableAntiforgery()
            .WithSummary("Admins: true makes every service cluster-local except the exported ones (serviceSettings merged into each cluster's mesh config, never over serviceSettings the install wrote); false removes MeshPortal's entries, so every service is visible mesh-wide again.");
    }

    private static async Task<Ok<ServiceScopeDto>> GetServiceScopeAsync(ServiceScopeService scope, CancellationToken ct) =>
        TypedResults.Ok(new ServiceScopeDto(await scope.IsEnabledAsync(ct)));

    private static async Task<Ok<ServiceScopeDto>> SetServiceScopeAsync(ServiceScopeDto request, ServiceScopeService scope, HttpContext http, CancellationToken ct)
    {
        await scope.SetEnabledAsync(request.ClusterLocalByDefault, AuditContexts.From(http), ct);
        return TypedResults.Ok(new ServiceScopeDto(await scope.IsEnabledAsync(ct)));
    }

    private static async Task<Results<Ok<List<ExportDto>>, ProblemHttpResult>> ListAsync(ExportQueries exports, ExportPermissions permissions, HttpContext http, CancellationToken ct,
        int? limit = null, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "continue")] string? next = null, string? cluster = null,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "namespace")] string? ns = null, string? q = null)
    {
        var (take, after, error) = ListPaging.Read(limit, next, ExportListQuery.MaxLimit);
        if (error is not null)
        {
            return ListPaging.Problem(error);
        }

        var page = await exports.PageAsync(new ExportListQuery(take, after, cluster?.Trim(), ns?.Trim(), q?.Trim()), await permissions.VisibilityAsync(Actors.From(http), ct), ct);
        ListPaging.SetNext(http.Response, page.NextAfterHost);
        return TypedResults.Ok(page.Items.Select(ExportDto.From).ToList());
    }

    private static async Task<Results<Ok<ExportDto>, ProblemHttpResult>> GetAsync(int id, ExportQueries exports, ExportPermissions permissions, HttpContext http, CancellationToken ct) =>
        await exports.GetAsync(id, ct) is { } export && await permissions.MayReadAsync(Actors.From(http), export, ct)
            ? TypedResults.Ok(ExportDto.From(export))
            : NotFound(id);

    private static async Task<Results<Created<ExportDto>, ProblemHttpResult>> CreateAsync(
        CreateExportRequest request, ExportCommands commands, HttpContext http, CancellationToken ct)
    {
        var result = await commands.CreateAsync(Actors.From(http),
            new NewExport(request.Cluster, request.Namespace, request.Service, request.Ports, request.Consumers, TeamName: request.Team), ct);
        return result.Succeeded
            ? TypedResults.Created(PortalUrls.Api.Export(result.Export!.Id), ExportDto.From(result.Export))
            : Failure(result, "The export was not saved");
    }

    private static async Task<Results<Ok<ExportDto>, ProblemHttpResult>> UpdateAsync(
        int id, UpdateExportRequest request, ExportCommands commands, HttpContext http, CancellationToken ct)
    {
        var result = await commands.UpdateAsync(Actors.From(http), id, new ExportChange(request.Ports, request.Consumers, request.AllConsumers), ct);
        return result.Succeeded ? TypedResults.Ok(ExportDto.From(result.Export!)) : Failure(result, "The export was not changed");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, ExportCommands commands, HttpContext http, CancellationToken ct)
    {
        var result = await commands.DeleteAsync(Actors.From(http), id, ct);
        return result.Succeeded ? TypedResults.NoContent() : Failure(result, "The export was not deleted");
    }

    private static async Task<Results<Accepted<ExportDto>, ProblemHttpResult>> StartMoveAsync(int id, ExportMoveCommands commands, HttpContext http, CancellationToken ct)
    {
        var result = await commands.StartAsync(Actors.From(http), id, ct);
        return result.Succeeded ? TypedResults.Accepted(PortalUrls.Api.Export(id), ExportDto.From(result.Export!)) : Failure(result, "The move was not started");
    }

    private static async Task<Results<Ok<ExportDto>, ProblemHttpResult>> CancelMoveAsync(int id, ExportMoveCommands commands, HttpContext http, CancellationToken ct)
    {
        var result = await commands.CancelAsync(Actors.From(http), id, ct);
        return result.Succeeded ? TypedResults.Ok(ExportDto.From(result.Export!)) : Failure(result, "The move was not stopped");
    }

    private static async Task<Results<Ok<ExportDto>, ProblemHttpResult>> MoveAsync(
        int id, MoveExportRequest request, TeamService teams, ExportOwnerService owners, ExportQueries queries, HttpContext http, CancellationToken ct)
    {
        int? teamId = null;
        if (!string.IsNullOrWhiteSpace(request.Team))
        {
            teamId = (await teams.ListAsync(ct)).FirstOrDefault(t => t.Name == request.Team.Trim())?.Id;
            if (teamId is null)
            {
                return Invalid("team", $"There is no team '{request.Team.Trim()}'. GET /api/v1/teams lists the teams.");
            }
        }

        var result = await owners.MoveExportAsync(id, teamId, AuditContexts.From(http), ct);
        if (result.NotFound)
        {
            return NotFound(id);
        }

        return result.Succeeded ? TypedResults.Ok(ExportDto.From((await queries.GetAsync(id, ct))!)) : Invalid("team", string.Join(" ", result.Errors.SelectMany(e => e.Value)));
    }

    private static ProblemHttpResult Invalid(string field, string message) => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "The export was not saved",
        Detail = message,
        Type = "https://httpstatuses.io/400",
    });

    private static ProblemHttpResult NotFound(int id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Export not found",
        detail: $"There is no export {id}. GET /api/v1/exports lists the exports.");

    /// <summary>RFC 7807 problem with the field errors; 400 bad input, 404 no such export, 409 duplicate or exhausted range, 503 cluster unreachable.</summary>
    internal static ProblemHttpResult Failure(ExportSaveResult result, string title)
    {
        if (result.Failure == ExportFailureKind.Forbidden)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: string.Join(" ", result.Errors.SelectMany(e => e.Value)));
        }

        var status = StatusOf(result.Failure);
        return TypedResults.Problem(new HttpValidationProblemDetails(result.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = status,
            Title = title,
            Detail = string.Join(" ", result.Errors.SelectMany(e => e.Value)),
            Type = $"https://httpstatuses.io/{status}",
        });
    }

    internal static int StatusOf(ExportFailureKind? kind) => kind switch
    {
        ExportFailureKind.NotFound => StatusCodes.Status404NotFound,
        ExportFailureKind.Conflict => StatusCodes.Status409Conflict,
        ExportFailureKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ExportFailureKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status400BadRequest,
    };
}
