using System.Security.Claims;
using MeshPortal.Core.Platform.Audit;

namespace MeshPortal.Web.Auth;

/// <summary>Builds the "who and from where" of an audit record from the signed-in principal and the request.</summary>
public static class AuditContexts
{
    public static AuditContext From(HttpContext http) =>
        From(http.User, http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());

    public static AuditContext From(ClaimsPrincipal user, string? remoteIp, string? userAgent) => new(
        user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "unknown" : "anonymous",
        user.FindFirstValue(ClaimTypes.NameIdentifier),
        user.FindFirst(PortalClaims.TokenName)?.Value,
        string.IsNullOrEmpty(remoteIp) ? null : remoteIp,
        string.IsNullOrEmpty(userAgent) ? null : userAgent);
}
