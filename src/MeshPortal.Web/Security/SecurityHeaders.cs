using System.Security.Cryptography;

namespace MeshPortal.Web.Security;

/// <summary>
/// Security headers on every response (pages, API, /jobs, /api-docs, static files, errors): no MIME sniffing, no
/// referrer to other sites, never framed (clickjacking on /jobs' Trigger/Delete buttons), and a Content-Security-Policy.
/// The portal's own pages get a strict script policy with a per-request nonce (Blazor's inline import map carries it,
/// see App.razor); /jobs and /api-docs are third-party pages with inline scripts, so they keep script-src open but can
/// still not be framed, load plugins or change the base URL.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "meshportal:csp-nonce";

    /// <summary>The nonce of this request's CSP, for inline scripts the portal renders itself.</summary>
    public static string Nonce(HttpContext context) => context.Items[NonceKey] as string ?? "";

    /// <summary>The CSP for a path (pure, for tests and docs).</summary>
    public static string ContentSecurityPolicy(PathString path, string nonce) =>
        path.StartsWithSegments(PortalUrls.JobDashboardPath) || path.StartsWithSegments(PortalUrls.ApiDocsPath)
            ? "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
            : $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
              "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing for HTML encoding to change (a "+" became &#x2B;)
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request.Path, nonce);
            headers.Remove("Server");
            return Task.CompletedTask;
        });
        return next(context);
    });
}
