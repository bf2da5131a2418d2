using MeshPortal.Core.Platform.Audit;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary><c>GET /api/v1/audit</c> (paged, filterable) and <c>GET /api/v1/audit.csv</c>: admins only, read only.</summary>
internal static class AuditEndpoints
{
    public static void MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Audit").RequireAuthorization(Policies.AuditRead);
        group.MapGet("/audit", PageAsync)
            .WithSummary("Audit entries, newest first. Filters: from, to (ISO 8601), actor (user or token name), kind, action (prefix like 'export' or exact), outcome, q (free text); page, pageSize (max 500).");
        group.MapGet("/audit.csv", CsvAsync)
            .WithSummary("The matching audit entries as CSV (same filters, at most 100,000 rows). Formula-like cells are prefixed with an apostrophe.");
    }

    private static AuditFilter Filter(DateTimeOffset? from, DateTimeOffset? to, string? actor, string? kind, string? action, string? outcome, string? q) =>
        new(from, to, actor, kind, action, outcome, q);

    private static async Task<Ok<AuditPageDto>> PageAsync(AuditQueries audit, CancellationToken ct,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? actor = null, string? kind = null, string? action = null,
        string? outcome = null, string? q = null, int page = 1, int pageSize = AuditFilter.DefaultPageSize)
    {
        var result = await audit.PageAsync(Filter(from, to, actor, kind, action, outcome, q), page, pageSize, ct);
        return TypedResults.Ok(new AuditPageDto([.. result.Items.Select(AuditEntryDto.From)], result.Total, result.Page, result.PageSize));
    }

    private static async Task CsvAsync(HttpContext http, AuditQueries audit, TimeProvider clock, CancellationToken ct,
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? actor = null, string? kind = null, string? action = null,
        string? outcome = null, string? q = null)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"meshportal-audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, AuditCsv.Utf8, leaveOpen: true);
        await AuditCsv.WriteAsync(writer, audit.StreamAsync(Filter(from, to, actor, kind, action, outcome, q), ct), ct);
    }
}

public sealed record AuditEntryDto(
    long Id, DateTimeOffset At, string Actor, string? TokenName, string? RemoteIp, string? UserAgent,
    string Action, string TargetKind, string? Target, string Outcome, string? Summary, string? Before, string? After)
{
    public static AuditEntryDto From(AuditEntryView e) =>
        new(e.Id, e.At, e.Actor, e.TokenName, e.RemoteIp, e.UserAgent, e.Action, e.TargetKind, e.Target, e.Outcome, e.Summary, e.Before, e.After);
}

public sealed record AuditPageDto(IReadOnlyList<AuditEntryDto> Items, int Total, int Page, int PageSize);
