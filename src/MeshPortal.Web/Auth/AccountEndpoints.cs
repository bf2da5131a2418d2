using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Web.Auth;

internal static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Sign-out is a POST with an antiforgery token (the form in the app bar).
        app.MapPost("/account/logout", async (SignInManager<PortalUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/login");
        }).ExcludeFromDescription();

        // "Sign in with SSO": a challenge of the OpenID Connect scheme (only when MeshPortal:Oidc is configured).
        app.MapGet("/account/sso", (string? returnUrl, Oidc.OidcOptions oidc) => oidc.Enabled
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [Oidc.OidcOptions.Scheme])
                : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>Only local paths: never redirect to another site after sign-in.</summary>
    public static string SafeReturnUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\") ? url : "/";
}
