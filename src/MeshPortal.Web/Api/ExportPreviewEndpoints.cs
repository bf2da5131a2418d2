using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Teams;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary>POST /api/v1/exports/preview: what saving this export would create, change or delete in each affected cluster.</summary>
internal static class ExportPreviewEndpoints
{
    public static void MapExportPreview(this RouteGroupBuilder group) =>
        group.MapPost("/preview", PreviewAsync).RequireAuthorization(Policies.ExportsWrite).DisableAntiforgery()
            .WithSummary("Preview an export (same body as POST /api/v1/exports): per affected cluster, the objects created, updated or deleted, with YAML diffs. Saves nothing.");

    private static async Task<Results<Ok<List<ClusterPreviewDto>>, ProblemHttpResult>> PreviewAsync(
        CreateExportRequest request, ExportService exports, ExportPreviewService previews, ExportPermissions permissions, HttpContext http, CancellationToken ct)
    {
        if (request.Cluster is not null && request.Namespace is not null
            && await permissions.DecideCreateAsync(Actors.From(http), request.Cluster.Trim(), request.Namespace.Trim(), null, ct) is { Allowed: false } denied)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: denied.Error);
        }

        var (draft, failure) = await exports.DraftAsync(
            new ExportRequest(request.Cluster?.Trim(), request.Namespace?.Trim(), request.Service?.Trim(), request.Ports, request.Consumers), ct);
        if (draft is null)
        {
            return ExportEndpoints.Failure(failure!, "The export cannot be previewed");
        }

        var preview = await previews.PreviewSaveAsync(draft, ct);
        return TypedResults.Ok(preview.Select(ClusterPreviewDto.From).ToList());
    }
}

public sealed record ObjectChangeDto(string Action, string Kind, string? Namespace, string Name, string Source, string Diff);

public sealed record ClusterPreviewDto(string Cluster, IReadOnlyList<ObjectChangeDto> Changes, IReadOnlyList<string> Notes)
{
    public static ClusterPreviewDto From(ClusterPreview p) => new(
        p.Cluster,
        [.. p.Changes.Select(c => new ObjectChangeDto(c.Action.ToString().ToLowerInvariant(), c.Kind, c.Namespace, c.Name, c.Source, string.Join('\n', c.Diff)))],
        p.Notes);
}
