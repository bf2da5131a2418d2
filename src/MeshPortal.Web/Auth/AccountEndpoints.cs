using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Web.Auth;

internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Sign-out is a POST with an antiforgery token (the form in the app bar).
        app.MapPost(PortalUrls.LogoutPath, SignOutAsync).ExcludeFromDescription();

        // "Sign in with SSO": a challenge of the OpenID Connect scheme (only when MeshPortal:Oidc is configured).
        app.MapGet("/account/sso", SingleSignOn).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<RedirectHttpResult> SignOutAsync(SignInManager<PortalUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("~" + PortalUrls.LoginPath);
    }

    private static Results<ChallengeHttpResult, NotFound> SingleSignOn(string? returnUrl, Oidc.OidcOptions oidc) => oidc.Enabled
        ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [Oidc.OidcOptions.Scheme])
        : TypedResults.NotFound();

    /// <summary>Only local paths: never redirect to another site after sign-in.</summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
