using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Support;

/// <summary>Users and tokens for access tests, made through the real Identity and token store of the portal.</summary>
internal static class PortalUsers
{
    /// <summary>A user without the Admin role (created once per name) and a fresh token of theirs.</summary>
    public static async Task<(string UserId, string Token)> NonAdminTokenAsync(PortalFixture portal, string userName, bool readOnly = false)
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new PortalUser { UserName = userName, CreatedAt = DateTimeOffset.UtcNow };
            var created = await users.CreateAsync(user, "Plain-User-Password-42");
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        var (token, _) = await scope.ServiceProvider.GetRequiredService<ApiTokenStore>()
            .CreateAsync(user.Id, $"{userName}-{Guid.NewGuid():N}"[..40], DateTimeOffset.UtcNow.AddHours(1), readOnly);
        return (user.Id, token);
    }

    public static async Task<string> AdminTokenAsync(PortalFixture portal, bool readOnly, DateTimeOffset? expiresAt = null)
    {
        using var scope = portal.Services.CreateScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(PortalFixture.AdminUser);
        var (token, _) = await scope.ServiceProvider.GetRequiredService<ApiTokenStore>()
            .CreateAsync(admin!.Id, "admin-" + Guid.NewGuid().ToString("N")[..8], expiresAt ?? DateTimeOffset.UtcNow.AddHours(1), readOnly);
        return token;
    }
}
