using System.Security.Claims;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshPortal.Web.Api;

/// <summary>
/// <c>/api/v1/tokens</c>: one's own personal API tokens (admins: <c>?all=true</c> lists and may revoke everyone's).
/// The value is returned once, by the POST; only its hash is stored. A read-only token cannot create tokens.
/// </summary>
internal static class TokenEndpoints
{
    public static void MapTokenApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tokens").WithTags("API tokens").RequireAuthorization();
        group.MapGet("/", ListAsync).WithSummary("Your API tokens (admins: all=true for everyone's), newest first, never with their value; paged with skip and take (≤ 500, default 100), the total in X-Total-Count.");
        group.MapPost("/", CreateAsync).DisableAntiforgery()
            .WithSummary("Create a personal API token acting with your rights; the value is in the response only. 403 for a read-only token. Without an expiry it lives 90 days (at most 366); 409 when you already hold 50 active tokens.");
        group.MapDelete("/{id:int}", RevokeAsync).RequireAuthorization(Policies.TokensOwn).DisableAntiforgery()
            .WithSummary("Revoke one of your tokens (admins: anyone's). It is refused with 401 from then on.");
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    public const int MaxPageSize = 500;

    private static async Task<Results<Ok<List<ApiTokenDto>>, ProblemHttpResult>> ListAsync(PersonalTokens commands, HttpContext http, TimeProvider clock, CancellationToken ct,
        bool all = false, int skip = 0, int take = 100)
    {
        var user = http.User;
        if (all && !user.IsInRole(Roles.Admin))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only admins can list everyone's tokens.");
        }

        if (skip < 0 || take < 1 || take > MaxPageSize)
        {
            return TypedResults.Problem(statusCode: 400, title: "Bad request",
                detail: $"skip must be 0 or more and take between 1 and {MaxPageSize} (got skip={skip}, take={take}).");
        }

        var now = clock.GetUtcNow();
        var tokens = await commands.ListAsync(all ? null : UserId(user), ct);
        http.Response.Headers["X-Total-Count"] = tokens.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(tokens.Skip(skip).Take(take).Select(t => ApiTokenDto.From(t, now)).ToList());
    }

    private static async Task<Results<Created<CreatedApiTokenDto>, ProblemHttpResult>> CreateAsync(
        CreateApiTokenRequest request, PersonalTokens commands, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var expires = request.ExpiresAt ?? (request.ExpiresInDays is { } days and > 0 ? clock.GetUtcNow().AddDays(days) : null);
        var result = await commands.CreateAsync(UserId(http.User), request.Name, expires, request.ReadOnly, Policies.IsReadOnly(http.User), AuditContexts.From(http), ct);
        if (!result.Succeeded)
        {
            return TypedResults.Problem(statusCode: result.Forbidden ? 403 : result.Limit ? 409 : 400, title: result.Forbidden ? "Forbidden" : "The token was not created", detail: result.Error);
        }

        var dto = ApiTokenDto.From(result.Details!, clock.GetUtcNow()) with { Owner = http.User.Identity?.Name ?? result.Details!.UserId };
        return TypedResults.Created(PortalUrls.Api.Token(dto.Id), new CreatedApiTokenDto(result.Token!, dto));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(int id, PersonalTokens commands, HttpContext http, CancellationToken ct)
    {
        var owner = http.User.IsInRole(Roles.Admin) ? null : UserId(http.User);
        return await commands.RevokeAsync(id, owner, AuditContexts.From(http), ct) is null
            ? TypedResults.Problem(statusCode: 404, title: "Token not found", detail: $"You have no API token {id}. GET /api/v1/tokens lists yours.")
            : TypedResults.NoContent();
    }
}

public sealed record CreateApiTokenRequest(string? Name, DateTimeOffset? ExpiresAt = null, int? ExpiresInDays = null, bool ReadOnly = false);

public sealed record ApiTokenDto(int Id, string Name, string Prefix, string Owner, bool ReadOnly, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string State)
{
    public static ApiTokenDto From(ApiTokenView t, DateTimeOffset now) => new(t.Id, t.Name, t.Prefix, t.Owner, t.ReadOnly,
        t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, StateOf(t.RevokedAt, t.ExpiresAt, now));

    public static string StateOf(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        revokedAt is not null ? "revoked" : expiresAt is { } e && e <= now ? "expired" : "active";
}

public sealed record CreatedApiTokenDto(string Token, ApiTokenDto Details);
