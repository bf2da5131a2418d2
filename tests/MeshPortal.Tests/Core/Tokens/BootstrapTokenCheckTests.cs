using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshPortal.Tests.Core.Tokens;

/// <summary>
/// Every start checks that the bootstrap admin token exists (<see cref="ApiTokenStore.IsValidAsync"/>) before it creates it.
/// The check is a read: it answers as an API request's check would (unknown, revoked, expired), and it is not a use of the
/// token, so its last use stays the last request that presented it (and a start writes nothing for it).
/// </summary>
[Trait("Speed", "Fast")]
public sealed class BootstrapTokenCheckTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_check_answers_like_a_request_would_and_records_no_use()
    {
        var clock = new TestClock(Start);
        await using var harness = await ServiceHarness.StartAsync(overrides: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var store = harness.Services.GetRequiredService<ApiTokenStore>();
        var userId = Guid.NewGuid().ToString("N");
        await using (var db = await DbAsync(harness))
        {
            db.Users.Add(new PortalUser { Id = userId, UserName = "root", NormalizedUserName = "ROOT" });
            await db.SaveChangesAsync();
        }

        var preset = ApiTokens.Generate();
        Assert.False(await store.IsValidAsync(preset)); // unknown: the start creates it
        var (_, created) = await store.CreateAsync(userId, "bootstrap", clock.Now.AddHours(1), readOnly: false, presetToken: preset);

        Assert.True(await store.IsValidAsync(preset));
        Assert.Null(await LastUsedAsync(harness, created.Id));

        Assert.NotNull((await store.AuthenticateAsync(preset)).Token); // a request is a use
        var used = await LastUsedAsync(harness, created.Id);
        Assert.Equal(clock.Now, used);
        clock.Now += TimeSpan.FromMinutes(5);
        Assert.True(await store.IsValidAsync(preset));
        Assert.Equal(used, await LastUsedAsync(harness, created.Id));

        clock.Now += TimeSpan.FromHours(1); // past its expiry
        Assert.False(await store.IsValidAsync(preset));
        clock.Now -= TimeSpan.FromHours(1);
        await store.RevokeAsync(created.Id, null, new AuditContext("root"), t => new AuditEvent("token.revoked", "token", t.Name, "revoked"));
        Assert.False(await store.IsValidAsync(preset));
    }

    private static async Task<DateTimeOffset?> LastUsedAsync(ServiceHarness harness, int id)
    {
        await using var db = await DbAsync(harness);
        return await db.ApiTokens.Where(t => t.Id == id).Select(t => t.LastUsedAt).SingleAsync();
    }

    private static Task<MeshPortalDbContext> DbAsync(ServiceHarness harness) =>
        harness.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
}
