using MeshPortal.Web.Auth;

namespace MeshPortal.Web.Security;

/// <summary>
/// Refuses cross-origin state changes made with the browser's cookies (CSRF), for every endpoint including body-less
/// POSTs that have no antiforgery token. The rule is the one of Go's <c>net/http.CrossOriginProtection</c>: trust the
/// browser's <c>Sec-Fetch-Site</c>; else compare <c>Origin</c> with the request's host; a request with neither is not
/// from a browser (curl, CI) and passes. Safe methods pass; so does a bearer-token API call (browsers never attach one).
/// WebSocket upgrades (the Blazor hub) are checked too.
/// </summary>
public static class CrossOriginGuard
{
    /// <summary>Null when the request may proceed; otherwise why it is refused.</summary>
    public static string? Refusal(HttpRequest request)
    {
        var upgrade = request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
        if (!upgrade && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)))
        {
            return null;
        }

        if (ApiTokenAuthenticationHandler.HasBearer(request) && ApiTokenAuthenticationHandler.AcceptsBearer(request))
        {
            return null;
        }

        // The OpenID Connect callback is a cross-site form post by design (response_mode=form_post from the provider);
        // it is protected by its state, nonce and correlation cookie, and carries no session cookie action.
        if (request.Path.Equals(MeshPortal.Web.Auth.Oidc.OidcOptions.CallbackPath, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none" ? null : $"Cross-site request refused (Sec-Fetch-Site: {site}).";
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return null;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
               && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Cross-origin request refused (Origin: {origin}).";
    }

    public static IApplicationBuilder UseCrossOriginGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Refusal(context.Request) is { } why)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CrossOriginGuard).FullName!)
                .LogWarning("{Method} {Path} refused: {Why}", context.Request.Method, context.Request.Path, why);
            if (CookieSetup.IsApiRequest(context.Request))
            {
                await ProblemWriter.WriteAsync(context, StatusCodes.Status403Forbidden, why + " Send API calls with 'Authorization: Bearer <token>'.");
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(why);
            }

            return;
        }

        await next();
    });
}
