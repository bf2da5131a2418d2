using System.Security.Claims;
using MeshPortal.Core.Platform.Audit;

namespace MeshPortal.Web.Auth;

/// <summary>
/// The browser behind a Blazor circuit: its IP address and user agent, captured from the HttpContext of the initial
/// request (App.razor passes them to the interactive <c>Routes</c> root as parameters, which the framework protects with
/// Data Protection, so the browser cannot alter them) and kept for the life of the circuit (a scoped service).
/// </summary>
public sealed class CircuitClient
{
    public string? RemoteIp { get; private set; }
    public string? UserAgent { get; private set; }

    public void Capture(string? remoteIp, string? userAgent)
    {
        RemoteIp = string.IsNullOrEmpty(remoteIp) ? RemoteIp : remoteIp;
        UserAgent = string.IsNullOrEmpty(userAgent) ? UserAgent : userAgent;
    }

    /// <summary>The audit "who and from where" of an action taken in this circuit by <paramref name="user"/>.</summary>
    public AuditContext For(ClaimsPrincipal user) => AuditContexts.From(user, RemoteIp, UserAgent);
}
