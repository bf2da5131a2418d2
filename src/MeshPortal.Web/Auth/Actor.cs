using System.Security.Claims;

namespace MeshPortal.Web.Auth;

/// <summary>Who did something, as recorded in histories: the user name, plus the token name for API calls.</summary>
public static class Actor
{
    public static string Describe(ClaimsPrincipal user)
    {
        var name = user.Identity?.Name ?? "anonymous";
        var token = user.FindFirst(PortalClaims.TokenName)?.Value;
        return token is null ? name : $"{name} (token {token})";
    }
}
