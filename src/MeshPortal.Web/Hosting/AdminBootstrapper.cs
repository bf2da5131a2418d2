using System.Security.Cryptography;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Identity;

namespace MeshPortal.Web.Hosting;

/// <summary>Creates the first admin account (and optionally an admin API token) on first start.</summary>
internal sealed class AdminBootstrapper(
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    ApiTokenStore tokens,
    TimeProvider clock,
    ILogger<AdminBootstrapper> logger)
{
    public async Task RunAsync(BootstrapOptions options)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the {role} role");
            }
        }

        var admin = await users.FindByNameAsync(options.AdminUser);
        if (admin is null && !users.Users.Any())
        {
            var generated = string.IsNullOrEmpty(options.AdminPassword);
            var password = generated ? GeneratePassword() : options.AdminPassword!;
            admin = new PortalUser { UserName = options.AdminUser, CreatedAt = clock.GetUtcNow(), LockoutEnabled = true };
            Check(await users.CreateAsync(admin, password), "create the first admin account (check MeshPortal__Bootstrap__AdminPassword)");
            Check(await users.AddToRoleAsync(admin, Roles.Admin), "make the first account an admin");
            if (generated)
            {
                // Printed once to the console, on purpose not through the logger (logs may be shipped elsewhere).
                Console.WriteLine();
                Console.WriteLine("==================================================================");
                Console.WriteLine($" MeshPortal first start: sign in as '{options.AdminUser}' with password");
                Console.WriteLine($"     {password}");
                Console.WriteLine(" It is shown only this once. Change it or set MeshPortal__Bootstrap__AdminPassword.");
                Console.WriteLine("==================================================================");
                Console.WriteLine();
            }
            else
            {
                logger.LogInformation("Created the first admin account '{User}' from MeshPortal__Bootstrap__AdminPassword", options.AdminUser);
            }
        }

        if (!string.IsNullOrEmpty(options.AdminToken) && admin is not null)
        {
            if (options.AdminToken.Length < ApiTokens.MinimumBootstrapLength)
            {
                throw new InvalidOperationException(
                    $"MeshPortal__Bootstrap__AdminToken must be at least {ApiTokens.MinimumBootstrapLength} characters long.");
            }

            if (!await tokens.IsValidAsync(options.AdminToken))
            {
                await tokens.CreateAsync(admin.Id, "bootstrap", expiresAt: null, readOnly: false, presetToken: options.AdminToken);
                logger.LogInformation("Created the bootstrap admin API token for '{User}'", admin.UserName);
            }
        }
    }

    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y') + "Ka7"; // meets the password rules

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
