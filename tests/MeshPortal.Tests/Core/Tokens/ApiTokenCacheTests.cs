using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshPortal.Tests.Core.Tokens;

/// <summary>
/// API requests authenticate through <see cref="ApiTokenStore.AuthenticateAsync"/>, which keeps a valid check (token, owner,
/// roles) for at most <see cref="ApiTokenCache.Bound"/>: a revocation made elsewhere (another replica, SQL) is refused once the
/// bound has passed, one made through this process at once; a refusal is never kept; nothing outlives the token's expiry.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ApiTokenCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static ApiTokenCheck Valid(DateTimeOffset? expiresAt = null) => new(
        new ApiTokenView(1, "ci", "mp_abc", "u1", "ann", false, DateTimeOffset.UnixEpoch, expiresAt, null, null), new PortalUser { Id = "u1", UserName = "ann" }, null)
    {
        Roles = ["admin"],
    };

    [Fact]
    public void A_valid_check_is_kept_until_the_bound_and_not_after()
    {
        var clock = new TestClock(Start);
        var cache = new ApiTokenCache(clock);
        var check = Valid();

        cache.Keep("h", check, cache.Generation);
        clock.Now += ApiTokenCache.Bound - TimeSpan.FromMilliseconds(1);
        Assert.True(cache.TryGet("h", out var kept));
        Assert.Same(check, kept);
        clock.Now += TimeSpan.FromMilliseconds(1);
        Assert.False(cache.TryGet("h", out _));
        Assert.False(cache.TryGet("other", out _));
    }

    [Fact]
    public void A_refusal_is_never_kept()
    {
        var cache = new ApiTokenCache(new TestClock(Start));
        cache.Keep("h", new ApiTokenCheck(null, null, "The API token is unknown."), cache.Generation);
        Assert.False(cache.TryGet("h", out _));
    }

    [Fact]
    public void Forget_drops_what_was_kept_and_a_check_read_before_it()
    {
        var cache = new ApiTokenCache(new TestClock(Start));
        cache.Keep("h", Valid(), cache.Generation);
        var readBefore = cache.Generation;

        cache.Forget();
        Assert.False(cache.TryGet("h", out _));
        cache.Keep("h", Valid(), readBefore); // a database read that began before the revocation
        Assert.False(cache.TryGet("h", out _));
        cache.Keep("h", Valid(), cache.Generation);
        Assert.True(cache.TryGet("h", out _));
    }

    [Fact]
    public void A_check_is_not_kept_past_the_tokens_expiry()
    {
        var clock = new TestClock(Start);
        var cache = new ApiTokenCache(clock);
        cache.Keep("h", Valid(expiresAt: clock.Now + TimeSpan.FromMilliseconds(300)), cache.Generation);

        Assert.True(cache.TryGet("h", out _));
        clock.Now += TimeSpan.FromMilliseconds(300);
        Assert.False(cache.TryGet("h", out _));
    }

    [Fact]
    public async Task A_token_revoked_by_another_writer_is_refused_once_the_bound_has_passed()
    {
        var clock = new TestClock(Start);
        await using var harness = await ServiceHarness.StartAsync(overrides: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var store = harness.Services.GetRequiredService<ApiTokenStore>();
        var (token, details) = await CreateAsync(harness, store, "admin");

        var first = await store.AuthenticateAsync(token);
        Assert.NotNull(first.Token);
        Assert.Equal(["admin"], first.Roles);

        // Another replica (or SQL) revokes it: this process learns of it when its kept check runs out.
        await using (var db = await DbAsync(harness))
        {
            await db.ApiTokens.Where(t => t.Id == details.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, clock.Now));
        }

        Assert.NotNull((await store.AuthenticateAsync(token)).Token);
        clock.Now += ApiTokenCache.Bound;
        var after = await store.AuthenticateAsync(token);
        Assert.Null(after.Token);
        Assert.Contains("was revoked", after.Refusal);
    }

    [Fact]
    public async Task A_revocation_through_this_process_is_refused_at_once()
    {
        var clock = new TestClock(Start);
        await using var harness = await ServiceHarness.StartAsync(overrides: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var store = harness.Services.GetRequiredService<ApiTokenStore>();
        var (token, details) = await CreateAsync(harness, store, "admin");
        Assert.NotNull((await store.AuthenticateAsync(token)).Token);

        await store.RevokeAsync(details.Id, null, new AuditContext("root"), t => new AuditEvent("token.revoked", "token", t.Name, "revoked"));

        Assert.Contains("was revoked", (await store.AuthenticateAsync(token)).Refusal);
    }

    [Fact]
    public async Task An_unknown_token_is_read_again_on_every_request()
    {
        var clock = new TestClock(Start);
        await using var harness = await ServiceHarness.StartAsync(overrides: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var store = harness.Services.GetRequiredService<ApiTokenStore>();
        var token = ApiTokens.Generate();
        Assert.Equal("The API token is unknown.", (await store.AuthenticateAsync(token)).Refusal);

        await CreateAsync(harness, store, "viewer", token);

        var check = await store.AuthenticateAsync(token);
        Assert.NotNull(check.Token);
        Assert.Equal(["viewer"], check.Roles);
    }

    private static async Task<(string Token, ApiTokenView Details)> CreateAsync(ServiceHarness harness, ApiTokenStore store, string role, string? preset = null)
    {
        var userId = Guid.NewGuid().ToString("N");
        await using (var db = await DbAsync(harness))
        {
            var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).FirstOrDefaultAsync();
            if (roleId is null)
            {
                roleId = Guid.NewGuid().ToString("N");
                db.Roles.Add(new IdentityRole(role) { Id = roleId, NormalizedName = role.ToUpperInvariant() });
            }

            db.Users.Add(new PortalUser { Id = userId, UserName = "ann-" + userId[..6], NormalizedUserName = "ANN-" + userId[..6].ToUpperInvariant() });
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = userId, RoleId = roleId });
            await db.SaveChangesAsync();
        }

        return await store.CreateAsync(userId, "ci", null, readOnly: false, presetToken: preset);
    }

    private static Task<MeshPortalDbContext> DbAsync(ServiceHarness harness) =>
        harness.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
}
