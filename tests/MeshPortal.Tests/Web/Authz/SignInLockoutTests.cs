using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Web.Authz;

/// <summary>
/// The sign-in form over plain HTTP: failures are audited (never the password), throttled per name (and per client,
/// see SignInThrottleTests) instead of locking the account, and unknown and known names get the same answer.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class SignInLockoutTests(PortalFixture portal)
{
    private const string Throttled = "Too many failed sign-ins.";
    private const string Wrong = "Wrong user name or password.";

    [Fact]
    public async Task FiveWrongPasswords_ThrottleTheName_WithoutLockingTheAccount_AndEveryAttemptIsAudited()
    {
        var name = $"lock-{Guid.NewGuid().ToString("N")[..6]}";
        const string password = "Right-Password-12345";
        var created = await portal.CreateClient().PostAsJsonAsync("/api/v1/users", new { userName = name, password, role = "Viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        for (var i = 0; i < 5; i++)
        {
            Assert.Contains(Wrong, await FormSignIn.AnswerAsync(portal, name, $"Wrong-Password-{i}xxxx"));
        }

        // Now the name is throttled: even the right password is not checked, and the account itself is not locked.
        Assert.Contains(Throttled, await FormSignIn.AnswerAsync(portal, name, password));
        Assert.Contains(Throttled, await FormSignIn.AnswerAsync(portal, name, "Wrong-Password-5xxxx"));
        var id = (string)(await PortalApi.JsonAsync(created))["id"]!;
        var users = await PortalApi.JsonAsync(await portal.CreateClient().GetAsync("/api/v1/users"));
        Assert.False((bool)users.AsArray().Single(u => (string?)u!["id"] == id)!["lockedOut"]!);

        using var scope = portal.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(a => a.Target == name && a.Action == "user.sign-in").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["failed", "failed", "failed", "failed", "failed", "denied"], entries.Select(e => e.Outcome));
        Assert.All(entries, e => Assert.Equal(name, e.Actor));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.RemoteIp)));
        Assert.DoesNotContain(entries, e => (e.Summary + e.Before + e.After).Contains("Password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnonymousFlood_NeverDisablesTheOwnersApiToken_AndAddsABoundedNumberOfAuditRows()
    {
        var name = $"flood-{Guid.NewGuid().ToString("N")[..6]}";
        var created = await portal.CreateClient().PostAsJsonAsync("/api/v1/users", new { userName = name, password = "Right-Password-12345", role = "Admin" });
        var id = (string)(await PortalApi.JsonAsync(created))["id"]!;
        using var scope = portal.Services.CreateScope();
        var token = (await scope.ServiceProvider.GetRequiredService<ApiTokenStore>().CreateAsync(id, "ci", DateTimeOffset.UtcNow.AddHours(1), readOnly: false)).Token;
        using var ci = portal.CreateClient(token);

        var answers = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            answers.Add(await FormSignIn.AnswerAsync(portal, name, $"guess-{i}"));
        }

        Assert.All(answers.Take(5), a => Assert.Contains(Wrong, a));
        Assert.All(answers.Skip(5), a => Assert.Contains(Throttled, a));
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/api/v1/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await ci.PostAsync("/api/v1/reachability/run", null)).StatusCode);

        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        Assert.Equal(6, await db.AuditEntries.CountAsync(a => a.Target == name && a.Action == "user.sign-in"));
    }

    [Fact]
    public async Task UnknownAndKnownNames_GetTheSameAnswer_InComparableTime()
    {
        var known = $"known-{Guid.NewGuid().ToString("N")[..6]}";
        var unknown = $"nobody-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.Equal(HttpStatusCode.Created, (await portal.CreateClient().PostAsJsonAsync("/api/v1/users", new { userName = known, password = "Right-Password-12345", role = "Viewer" })).StatusCode);

        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var (k, kt) = await TimedAsync(known, $"Wrong-{i}");
            var (u, ut) = await TimedAsync(unknown, $"Wrong-{i}");
            Assert.Equal(ErrorOf(k), ErrorOf(u));
            Assert.Equal(Wrong, ErrorOf(k));
            knownTimes.Add(kt);
            unknownTimes.Add(ut);
        }

        // Both names are throttled alike, too.
        Assert.Equal(ErrorOf((await TimedAsync(known, "x")).Html), ErrorOf((await TimedAsync(unknown, "x")).Html));

        // An unknown name costs a password hash like a known one (before: 7.5 ms against 107 ms).
        var medianKnown = knownTimes.Order().ElementAt(2);
        var medianUnknown = unknownTimes.Order().ElementAt(2);
        Assert.True(medianUnknown > medianKnown * 0.5, $"unknown name answered in {medianUnknown:F1} ms, known in {medianKnown:F1} ms");
    }

    [Fact]
    public async Task AnAdminLock_RefusesTheRightPassword_ButAWrongPasswordSaysNothingAboutIt()
    {
        var name = $"locked-{Guid.NewGuid().ToString("N")[..6]}";
        const string password = "Right-Password-12345";
        var admin = portal.CreateClient();
        var id = (string)(await PortalApi.JsonAsync(await admin.PostAsJsonAsync("/api/v1/users", new { userName = name, password, role = "Viewer" })))["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{id}/lock", null)).StatusCode);

        Assert.Contains(Wrong, await FormSignIn.AnswerAsync(portal, name, "Wrong-Password-0xxxx"));
        Assert.Contains("locked by an admin", await FormSignIn.AnswerAsync(portal, name, password));

        await admin.PostAsync($"/api/v1/users/{id}/unlock", null);
        Assert.StartsWith("redirect ", await FormSignIn.AnswerAsync(portal, name, password));
    }

    private async Task<(string Html, double Ms)> TimedAsync(string user, string password)
    {
        var clock = Stopwatch.StartNew();
        var html = await FormSignIn.AnswerAsync(portal, user, password);
        return (html, clock.Elapsed.TotalMilliseconds);
    }

    private static string ErrorOf(string html)
    {
        var start = html.IndexOf("data-testid=\"login-error\">", StringComparison.Ordinal);
        return start < 0 ? "" : System.Net.WebUtility.HtmlDecode(html[(start + "data-testid=\"login-error\">".Length)..html.IndexOf('<', start + 1)]);
    }
}
