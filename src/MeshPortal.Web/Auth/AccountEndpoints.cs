using MeshPortal.Core.Persistence;
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
    }
}
