using Microsoft.AspNetCore.Authentication.Cookies;

namespace MeshPortal.Web.Auth;

internal static class CookieSetup
{
    public const string CookieName = "meshportal.auth";

    public static void Configure(CookieAuthenticationOptions o)
    {
        o.LoginPath = PortalUrls.LoginPath;
        o.LogoutPath = PortalUrls.LogoutPath;
        o.AccessDeniedPath = PortalUrls.AccessDeniedPath;
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure over HTTPS, also behind a trusted proxy (MeshPortal:Proxies)
        o.SlidingExpiration = true;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = ctx => ApiAwareRedirect(ctx, StatusCodes.Status403Forbidden);
    }

    /// <summary>API callers get a 401/403 problem, browsers get the sign-in page.</summary>
    private static async Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (IsApiRequest(ctx.Request))
        {
            ctx.Response.StatusCode = status;
            await ProblemWriter.WriteAsync(ctx.HttpContext, status, status == 401
                ? "Authentication required. Send 'Authorization: Bearer <token>' or sign in."
                : "You are signed in but not allowed to do this.");
            return;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
    }

    public static bool IsApiRequest(HttpRequest request) => IsApiPath(request.Path);

    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi");
}
