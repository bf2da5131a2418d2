using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MeshPortal.Core.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Authz;

/// <summary>The sign-in form over plain HTTP: failures are audited (never the password) and five of them lock the account.</summary>
[Collection(PortalCollection.Name)]
public sealed partial class SignInLockoutTests(PortalFixture portal)
{
    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_EvenForTheRightOne_AndEveryAttemptIsAudited()
    {
        var name = $"lock-{Guid.NewGuid().ToString("N")[..6]}";
        const string password = "Right-Password-12345";
        var created = await portal.CreateClient().PostAsJsonAsync("/api/v1/users", new { userName = name, password, role = "Viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        for (var i = 0; i < 4; i++)
        {
            Assert.Contains("Wrong user name or password.", await PostLoginAsync(name, $"Wrong-Password-{i}xxxx"));
        }

        // The fifth failure locks the account at once; then even the right password is refused.
        Assert.Contains("This account is locked", await PostLoginAsync(name, "Wrong-Password-4xxxx"));
        Assert.Contains("This account is locked", await PostLoginAsync(name, password));

        using var scope = portal.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(a => a.Target == name && a.Action == "user.sign-in").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["failed", "failed", "failed", "failed", "denied", "denied"], entries.Select(e => e.Outcome));
        Assert.All(entries, e => Assert.Equal(name, e.Actor));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.RemoteIp)));
        Assert.DoesNotContain(entries, e => (e.Summary + e.Before + e.After).Contains("Password", StringComparison.Ordinal));

        // An admin unlocks; the right password works again.
        var id = (string)(await Exports.ExportPortalHelpers.JsonAsync(created))["id"]!;
        await portal.CreateClient().PostAsync($"/api/v1/users/{id}/unlock", null);
        Assert.Equal("success", await LastOutcomeAfterLoginAsync(name, password));
    }

    private async Task<string> LastOutcomeAfterLoginAsync(string name, string password)
    {
        var html = await PostLoginAsync(name, password);
        Assert.DoesNotContain("mp-login-error", html);
        using var scope = portal.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.Where(a => a.Target == name).OrderByDescending(a => a.Id).Select(a => a.Outcome).FirstAsync();
    }

    /// <summary>GET the form (antiforgery token and cookie), POST it back like a browser; returns the HTML (or the redirect target).</summary>
    private async Task<string> PostLoginAsync(string user, string password)
    {
        using var client = portal.CreateClient(token: null);
        var form = await client.GetAsync("/login");
        var html = await form.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        var cookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                ["Input.UserName"] = user,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", cookie);
        var response = await client.SendAsync(post);
        return response.StatusCode == HttpStatusCode.Redirect ? $"redirect {response.Headers.Location}" : await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
