using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Web.Authz;

/// <summary>
/// Open Blazor circuits are re-validated against the user's security stamp, so a demoted, locked or reset user does not
/// keep the rights their page started with.
/// </summary>
[Collection("portal")]
[Trait("Speed", "Web")]
public sealed class CircuitRevalidationTests(PortalFixture portal)
{
    [Fact]
    public async Task A_circuit_whose_user_changed_is_signed_out_at_the_next_revalidation()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        Assert.Equal("RevalidatingIdentityStateProvider", provider.GetType().Name);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
        var user = new PortalUser { UserName = "reval-" + Guid.NewGuid().ToString("N")[..6] };
        Assert.True((await users.CreateAsync(user, "Long-Enough-Passw0rd-2026")).Succeeded);
        var principal = await signIn.CreateUserPrincipalAsync(user);

        var validate = provider.GetType().GetMethod("ValidateAuthenticationStateAsync",
            System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        async Task<bool> Valid() => await (Task<bool>)validate.Invoke(provider, [new AuthenticationState(principal), CancellationToken.None])!;

        Assert.True(await Valid());
        await users.UpdateSecurityStampAsync(user); // what a role, team, password or lock change does
        Assert.False(await Valid());
    }
}
