using System.Security.Cryptography;
using MeshPortal.Core.Features.Users;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Commands;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// <c>MeshPortal.Web admin reset-password &lt;user&gt;</c> (issue 19): the way back in after losing the admin password, with
/// no data loss. Runs against the configured data directory / database with the portal stopped (on SQLite the data
/// directory lock refuses it while a portal runs), sets a new generated password printed once, clears an admin lock,
/// revokes the user's API tokens like every password reset, and writes the audit entry <c>user.password-reset</c>.
/// </summary>
internal static class AdminCommand
{
    public const string Actor = "console (admin reset-password)";

    public const string Usage = """
        Usage: dotnet MeshPortal.Web.dll admin reset-password <user> [configuration, e.g. --MeshPortal:DataDirectory=/data]
               dotnet run --project src/MeshPortal.Web -- admin reset-password <user>
          Sets a new password for <user> (printed once), clears an admin lock and revokes the user's API tokens; audited.
          Stop the portal first: it reads the same configuration (MeshPortal__DataDirectory, MeshPortal__Database__*).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["reset-password", var userName, .. var rest] || userName.StartsWith('-'))
        {
            await Console.Error.WriteLineAsync(args is ["-h" or "--help" or "help", ..] ? Usage : "error: unknown admin command.\n\n" + Usage);
            return args is ["-h" or "--help" or "help", ..] ? 0 : 2;
        }

        var builder = WebApplication.CreateBuilder(LaunchDefaults.Options(rest));
        LaunchDefaults.Apply(builder);
        builder.Logging.ClearProviders(); // the command's own output only
        var options = builder.Configuration.GetSection(MeshPortalOptions.Section).Get<MeshPortalOptions>() ?? new MeshPortalOptions();
        var database = Path.Combine(options.ResolveDataDirectory(), "meshportal.db");
        if (options.Database.Provider == DatabaseProvider.Sqlite && !File.Exists(database))
        {
            throw new StartupRefusedException(
                $"There is no MeshPortal database at {database}; set MeshPortal__DataDirectory to the portal's data directory.");
        }

        builder.Configuration["MeshPortal:Jobs:Enabled"] = "false"; // no job server: the host is never started
        builder.AddMeshPortal();
        await using var app = builder.Build();

        // The schema of this version (an older data directory is migrated as the portal would do at its next start).
        await StartupTasks.PrepareDatabaseAsync(app.Services, app.Services.GetRequiredService<IOptions<MeshPortalOptions>>().Value,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None, () => Task.CompletedTask);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            var known = string.Join(", ", users.Users.Select(u => u.UserName).OrderBy(n => n).Take(20).ToList());
            await Console.Error.WriteLineAsync($"error: there is no user \"{userName}\" (users: {(known.Length == 0 ? "none" : known)}). Nothing was changed.");
            return 2;
        }

        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var who = new AuditContext(Actor);
        var password = GeneratePassword();
        var reset = await administration.ResetPasswordAsync(user.Id, password, who, CancellationToken.None);
        if (!reset.Succeeded)
        {
            await Console.Error.WriteLineAsync($"error: the password of \"{userName}\" could not be reset: {reset.Message}");
            return 1;
        }

        if (reset.User?.LockedOut == true)
        {
            await administration.UnlockAsync(user.Id, who, CancellationToken.None);
        }

        Console.WriteLine($"New password for '{userName}' (shown only this once; sign in and change it):");
        Console.WriteLine($"    {password}");
        Console.WriteLine("Every API token of the account was revoked; the reset is in the audit log (user.password-reset).");
        return 0;
    }

    /// <summary>18 random bytes, URL-safe, plus characters that satisfy the password rules (12+, upper, lower, digit).</summary>
    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y') + "Ka7";
}
