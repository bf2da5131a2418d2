using MeshPortal.Core.Features.Teams;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Features.Users;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Core.Commands;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Core.Users;

/// <summary>
/// User administration as a Core service over Identity on a real SQLite file: each change and its audit record are saved
/// together (one transaction on the scope's context), and an audit record the database refuses takes the change down with it.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class UserAdministrationTests : IAsyncLifetime
{
    private static readonly AuditContext Admin = new("root", "id-root");

    private readonly string directory = Path.Combine(Path.GetTempPath(), "mp-users-" + Guid.NewGuid().ToString("N"));
    private readonly CommandHarness.SaveRecorder saves = new();
    private ServiceProvider provider = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        var services = new ServiceCollection()
            .AddDbContextFactory<MeshPortalDbContext>(o => o
                .UseSqlite($"Data Source={Path.Combine(directory, "db.sqlite")}", x => x.MigrationsAssembly("MeshPortal.Migrations"))
                .AddInterceptors(saves));
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddIdentityCore<PortalUser>(o => o.Password.RequireNonAlphanumeric = false)
            .AddRoles<IdentityRole>().AddEntityFrameworkStores<MeshPortalDbContext>().AddDefaultTokenProviders();
        services.AddSingleton<ApiTokenStore>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<SsoAccounts>();
        services.AddSingleton<TeamService>();
        provider = services.BuildServiceProvider(validateScopes: true);
        await using var db = await provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
        db.Roles.Add(new IdentityRole(PortalRoles.TeamMember) { NormalizedName = PortalRoles.TeamMember.ToUpperInvariant() });
        db.Teams.Add(new TeamEntity { Name = "payments", CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        saves.Clear();
    }

    public async Task DisposeAsync()
    {
        await provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Creating_a_user_saves_the_account_its_teams_and_its_audit_record_together()
    {
        var result = await RunAsync(a => a.CreateAsync("tom", "A-long-password-1", PortalRoles.TeamMember, ["payments"], Admin, CancellationToken.None));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(PortalRoles.TeamMember, result.User!.Role);
        Assert.Equal(["payments"], result.User.Teams);
        Assert.True(saves.OneSaveWrote("TeamMemberEntity", "AuditEntryEntity"), "user.created goes with the memberships");
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("user.created", "tom", "root"), (entry.Action, entry.Target, entry.Actor));
        Assert.Contains("payments", entry.After);
    }

    [Fact]
    public async Task A_bad_request_changes_nothing_and_audits_nothing()
    {
        var result = await RunAsync(a => a.CreateAsync("tom", "A-long-password-1", null, ["no-such-team"], Admin, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal("No such team: no-such-team.", result.Message);
        Assert.Empty(await RunAsync(a => a.ListAsync(CancellationToken.None)));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task A_password_reset_revokes_the_tokens_in_the_save_of_its_audit_record()
    {
        var id = (await RunAsync(a => a.CreateAsync("tom", "A-long-password-1", null, null, Admin, CancellationToken.None))).User!.Id;
        await using (var db = await DbAsync())
        {
            db.ApiTokens.Add(new ApiTokenEntity { UserId = id, Name = "ci", Hash = "h", Prefix = "mpt_x", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        saves.Clear();
        var reset = await RunAsync(a => a.ResetPasswordAsync(id, "Another-long-password-2", Admin, CancellationToken.None));

        Assert.True(reset.Succeeded, reset.Message);
        Assert.True(saves.OneSaveWrote("ApiTokenEntity", "AuditEntryEntity"));
        Assert.Equal("Password of tom reset by an admin; 1 API token(s) revoked", (await AuditAsync()).Last().Summary);
        await using var check = await DbAsync();
        Assert.NotNull((await check.ApiTokens.SingleAsync()).RevokedAt);
    }

    [Fact]
    public async Task Locking_saves_the_lock_with_its_audit_record_and_a_refused_record_leaves_the_account_unlocked()
    {
        var id = (await RunAsync(a => a.CreateAsync("tom", "A-long-password-1", null, null, Admin, CancellationToken.None))).User!.Id;

        await Assert.ThrowsAsync<DbUpdateException>(() => RunAsync(a => a.LockAsync(id, new AuditContext(null!, "id-root"), CancellationToken.None)));
        Assert.False((await RunAsync(a => a.GetAsync(id, CancellationToken.None)))!.LockedOut);

        saves.Clear();
        var locked = await RunAsync(a => a.LockAsync(id, Admin, CancellationToken.None));
        Assert.True(locked.User!.LockedOut);
        Assert.True(saves.OneSaveWrote("PortalUser", "AuditEntryEntity"));
        Assert.Equal(["user.created", "user.locked"], (await AuditAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task An_sso_shadow_account_its_login_and_its_audit_record_are_saved_together_once()
    {
        var first = await RunSsoAsync(a => a.EnsureAsync("oidc", "sub-1", "Company SSO", "tom", PortalRoles.TeamMember, ["payments"], Admin, CancellationToken.None));
        Assert.True(saves.OneSaveWrote("IdentityUserLogin`1", "AuditEntryEntity"), string.Join(" | ", saves.All.Select(x => string.Join(",", x))));
        // A later sign-in, as the OIDC handler does it: find the account, then align it, in one scope.
        var again = await RunSsoAsync(async a =>
        {
            var user = await a.EnsureAsync("oidc", "sub-1", "Company SSO", "tom", PortalRoles.TeamMember, ["payments", "unknown"], Admin, CancellationToken.None);
            await a.AlignAsync(user, PortalRoles.TeamMember, ["payments", "unknown"], CancellationToken.None);
            return user;
        });

        Assert.Equal(first.Id, again.Id);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal(("user.created", "tom", "tom"), (entry.Action, entry.Target, entry.Actor));
        var view = (await RunAsync(a => a.GetAsync(first.Id, CancellationToken.None)))!;
        Assert.Equal((PortalRoles.TeamMember, true), (view.Role, view.External));
        Assert.Equal(["payments"], view.Teams);
    }

    private async Task<T> RunSsoAsync<T>(Func<SsoAccounts, Task<T>> action)
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<SsoAccounts>());
    }

    private async Task<T> RunAsync<T>(Func<UserAdministration, Task<T>> action)
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserAdministration>());
    }

    private Task<MeshPortalDbContext> DbAsync() => provider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();

    private async Task<List<AuditEntryEntity>> AuditAsync()
    {
        await using var db = await DbAsync();
        return await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }
}
