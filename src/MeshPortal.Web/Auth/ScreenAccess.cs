using System.Security.Claims;
using MeshPortal.Core.Features.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MeshPortal.Web.Auth;

/// <summary>
/// Wall-screen access without signing in. <c>/screen?token=mps_…</c> checks the screen token and sets a screen-only
/// cookie (its own scheme). That cookie is looked at only for <c>/screen</c> and the Blazor circuit (<c>/_blazor</c>),
/// so every other page and API sees an anonymous caller (401 or the sign-in page), and inside a circuit the router
/// renders only the Screen page for a screen principal. The cookie is re-validated against the token on each request
/// and an open screen re-checks it on every refresh, so revoking the token stops it.
/// </summary>
public static class ScreenAccess
{
    public const string Scheme = "Screen";
    public const string CookieName = "meshportal.screen";
    public const string TokenIdClaim = "meshportal:screen-token";
    public const string Refused = "This screen token is unknown, expired or revoked. Ask an admin for a new screen link.";

    public static bool IsScreenPrincipal(ClaimsPrincipal user) => user.HasClaim(c => c.Type == TokenIdClaim);

    public static int? TokenId(ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(TokenIdClaim), out var id) ? id : null;

    /// <summary>Paths where the screen cookie counts: the screen page and the Blazor circuit hub.</summary>
    public static bool IsScreenPath(PathString path) => path.StartsWithSegments(PortalUrls.ScreenPath) || path.StartsWithSegments("/_blazor");

    /// <summary>Use the screen cookie only where it counts and only when no user is signed in in this browser.</summary>
    public static bool UseScreenScheme(HttpRequest request) =>
        IsScreenPath(request.Path) && !request.Cookies.ContainsKey(CookieSetup.CookieName) && request.Cookies.ContainsKey(CookieName);

    public static void Configure(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.ExpireTimeSpan = TimeSpan.FromDays(30);
        o.SlidingExpiration = true;
        o.Events.OnValidatePrincipal = async ctx =>
        {
            var store = ctx.HttpContext.RequestServices.GetRequiredService<ScreenTokenStore>();
            if (ctx.Principal is null || TokenId(ctx.Principal) is not { } id || !await store.IsValidAsync(id, ctx.HttpContext.RequestAborted))
            {
                ctx.RejectPrincipal();
                await ctx.HttpContext.SignOutAsync(Scheme);
            }
        };
        o.Events.OnRedirectToLogin = async ctx =>
        {
            // The screen cookie is no longer valid (token revoked or expired): say so on the TV instead of a sign-in form.
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            if (ctx.Request.Path.StartsWithSegments(PortalUrls.ScreenPath))
            {
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync(Refused);
            }
        };
        o.Events.OnRedirectToAccessDenied = ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
    }

    /// <summary>Handles <c>GET /screen?token=…</c>: a valid token sets the screen cookie and redirects to <c>/screen</c> (the token leaves the address bar).</summary>
    public static IApplicationBuilder UseScreenTokenLinks(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Path != PortalUrls.ScreenPath || !context.Request.Query.TryGetValue("token", out var token))
        {
            await next(context);
            return;
        }

        var store = context.RequestServices.GetRequiredService<ScreenTokenStore>();
        var entity = await store.ValidateAsync(token.ToString(), context.RequestAborted);
        if (entity is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(Refused);
            return;
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, $"screen: {entity.Name}"), new Claim(TokenIdClaim, entity.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
        context.Response.Redirect(PortalUrls.Screen());
    });
}
