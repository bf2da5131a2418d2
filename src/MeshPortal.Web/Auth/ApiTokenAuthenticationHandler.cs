using System.Security.Claims;
using System.Text.Encodings.Web;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Features.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Auth;

public sealed class ApiTokenAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Authenticates <c>Authorization: Bearer mp_...</c> API tokens; the token acts with its owner's rights. The check (token,
/// owner, roles) comes from <see cref="ApiTokenStore.AuthenticateAsync"/>, which keeps a valid one for at most a second.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<ApiTokenAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenStore tokens)
    : AuthenticationHandler<ApiTokenAuthenticationOptions>(options, logger, encoder)
{
    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where a bearer token counts: the API, the OpenAPI document and /metrics; never pages or <c>/_blazor</c>.</summary>
    public static bool AcceptsBearer(HttpRequest request) =>
        CookieSetup.IsApiRequest(request) || request.Path.StartsWithSegments("/metrics");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request) || !AcceptsBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var token = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var check = token.Length == 0 ? new ApiTokenCheck(null, null, "The bearer token is empty.") : await tokens.AuthenticateAsync(token, Context.RequestAborted);
        var (entity, owner, refusal) = check;
        // Only an admin's lock stops a user's tokens: failed sign-ins (which anyone can cause) never lock an account.
        if (entity is null || owner is null || AccountLocks.IsLockedByAdmin(owner))
        {
            refusal ??= "The API token's owner is locked by an admin.";
            Context.Items[RefusalKey] = refusal;
            return AuthenticateResult.Fail(refusal);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, entity.UserId),
            new(ClaimTypes.Name, owner.UserName ?? entity.UserId),
            new(PortalClaims.TokenName, entity.Name),
            new(PortalClaims.ReadOnly, entity.ReadOnly ? "true" : "false"),
        };
        claims.AddRange(check.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private const string RefusalKey = "meshportal:token-refusal";

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        var why = Context.Items[RefusalKey] as string ?? "The API token is unknown, expired or revoked.";
        return ProblemWriter.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            why + " Create a new token on the API tokens page and send it as 'Authorization: Bearer <token>'.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, StatusCodes.Status403Forbidden,
            Policies.IsReadOnly(Context.User)
                ? "This API token is read-only; use a token that may make changes."
                : "Your account is not allowed to do this.");
}
