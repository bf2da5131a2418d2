using System.Security.Claims;
using MeshPortal.Core.Exports;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

internal static class ExportEndpoints
{
    public static void MapExportApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/exports").WithTags("Exports").RequireAuthorization();
        group.MapGet("/", ListAsync).WithSummary("List exports with their host, VIP, ports and per-consumer sync state.");
        group.MapGet("/{id:int}", GetAsync).WithSummary("One export.");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Write).DisableAntiforgery()
            .WithSummary("Export a service to other clusters as <service>.<namespace>.global. No ports = all; no consumers = every other cluster.");
        group.MapPut("/{id:int}", UpdateAsync).RequireAuthorization(Policies.Write).DisableAntiforgery()
            .WithSummary("Change an export's ports or consumers.");
        group.MapDelete("/{id:int}", DeleteAsync).RequireAuthorization(Policies.Write).DisableAntiforgery()
            .WithSummary("Unexport: the ServiceEntries are pruned from every consumer and the VIP is freed.");
        group.MapExportPreview();
    }

    private static async Task<Ok<List<ExportDto>>> ListAsync(ExportQueries exports, CancellationToken ct) =>
        TypedResults.Ok((await exports.ListAsync(ct)).Select(ExportDto.From).ToList());

    private static async Task<Results<Ok<ExportDto>, ProblemHttpResult>> GetAsync(int id, ExportQueries exports, CancellationToken ct) =>
        await exports.GetAsync(id, ct) is { } export ? TypedResults.Ok(ExportDto.From(export)) : NotFound(id);

    private static async Task<Results<Created<ExportDto>, ProblemHttpResult>> CreateAsync(
        CreateExportRequest request, ExportService exports, HttpContext http, CancellationToken ct)
    {
        var result = await exports.CreateAsync(
            new ExportRequest(request.Cluster?.Trim(), request.Namespace?.Trim(), request.Service?.Trim(), request.Ports, request.Consumers), AuditContexts.From(http), ct);
        if (!result.Succeeded)
        {
            return Failure(result, "The export was not saved");
        }

        return TypedResults.Created($"/api/v1/exports/{result.Export!.Id}", ExportDto.From(result.Export));
    }

    private static async Task<Results<Ok<ExportDto>, ProblemHttpResult>> UpdateAsync(
        int id, UpdateExportRequest request, ExportService exports, HttpContext http, CancellationToken ct)
    {
        var result = await exports.UpdateAsync(id, new ExportChange(request.Ports, request.Consumers, request.AllConsumers), AuditContexts.From(http), ct);
        return result.Succeeded ? TypedResults.Ok(ExportDto.From(result.Export!)) : Failure(result, "The export was not changed");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, ExportService exports, HttpContext http, CancellationToken ct)
    {
        var result = await exports.DeleteAsync(id, AuditContexts.From(http), ct);
        return result.Succeeded ? TypedResults.NoContent() : Failure(result, "The export was not deleted");
    }

    private static ProblemHttpResult NotFound(int id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Export not found",
        detail: $"There is no export {id}. GET /api/v1/exports lists the exports.");

    /// <summary>RFC 7807 problem with the field errors; 400 bad input, 404 no such export, 409 duplicate or exhausted range, 503 cluster unreachable.</summary>
    internal static ProblemHttpResult Failure(ExportSaveResult result, string title)
    {
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
        _ => StatusCodes.Status400BadRequest,
    };
}
