using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Authz;

/// <summary>
/// "Sign in with SSO" end to end against the in-test OpenID Connect provider on 127.0.0.1: the challenge goes to the
/// configured authority, the code is redeemed with PKCE, the id_token is validated, and the user gets a local shadow
/// account (no password) whose role and teams follow the groups claim.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed partial class OidcSignInTests(PortalFixture portal)
{
    [Fact]
    public async Task LoginPage_OffersSso_AndTheChallengeGoesToTheConfiguredAuthority()
    {
        var login = await portal.CreateClient(token: null).GetStringAsync("/login");
        Assert.Contains("data-testid=\"login-sso\"", login);
        Assert.Contains("Sign in with Test SSO", login);

        var challenge = await portal.CreateClient(token: null).GetAsync("/account/sso?returnUrl=/exports");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!;
        Assert.StartsWith($"{portal.Oidc.Authority}/authorize?", location.ToString());
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(FakeOidcProvider.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("openid profile email", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal($"{portal.BaseAddress.ToString().TrimEnd('/')}/signin-oidc", query["redirect_uri"]);
    }

    [Fact]
    public async Task SsoUser_GetsAShadowAccount_WithRoleAndTeamsFromGroups_AndNoPassword()
    {
        using var admin = portal.CreateClient();
        await admin.PostAsJsonAsync("/api/v1/teams", new { name = "sso-web" }); // 409 when another run created it: fine
        var sfx = Guid.NewGuid().ToString("N")[..6];
        var name = $"sso-{sfx}";

        var cookies = await SignInWithSsoAsync(new FakeOidcUser($"subject-{sfx}", name, ["sso-web-devs", "unrelated"]));
        var me = await GetWithCookiesAsync("/api/v1/exports", cookies);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetWithCookiesAsync("/api/v1/users", cookies)).StatusCode);

        var users = (await JsonAsync(await admin.GetAsync("/api/v1/users"))).AsArray();
        var user = users.Single(u => (string?)u!["userName"] == name)!;
        Assert.Equal("TeamMember", (string?)user["role"]);
        Assert.Equal(["sso-web"], user["teams"]!.AsArray().Select(t => (string)t!).ToArray());
        Assert.False((bool)user["hasPassword"]!);
        Assert.True((bool)user["external"]!);

        // The same subject again, now in the admin group: same account, role follows the provider.
        var again = await SignInWithSsoAsync(new FakeOidcUser($"subject-{sfx}", name, ["sso-admins"]));
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookiesAsync("/api/v1/users", again)).StatusCode);
        users = (await JsonAsync(await admin.GetAsync("/api/v1/users"))).AsArray();
        Assert.Single(users, u => ((string?)u!["userName"])!.StartsWith(name, StringComparison.Ordinal));
        user = users.Single(u => (string?)u!["userName"] == name)!;
        Assert.Equal("Admin", (string?)user["role"]);
        Assert.Empty(user["teams"]!.AsArray());

        using var scope = portal.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.Where(a => a.Target == name).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["user.created", "user.sso-sign-in", "user.sso-sign-in"], audited);
    }

    [Fact]
    public async Task SsoUser_WhoseNameIsTakenByALocalAccount_IsNotMergedIntoIt()
    {
        var cookies = await SignInWithSsoAsync(new FakeOidcUser($"subject-{Guid.NewGuid():N}", PortalFixture.AdminUser, []));
        var users = (await JsonAsync(await portal.CreateClient().GetAsync("/api/v1/users"))).AsArray();
        Assert.Contains(users, u => ((string?)u!["userName"])!.StartsWith("admin@sso", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetWithCookiesAsync("/api/v1/users", cookies)).StatusCode); // no role: no admin rights
    }

    /// <summary>Browser-like: follows the challenge, the provider's form_post and the callback, forwarding cookies by hand.</summary>
    private async Task<Dictionary<string, string>> SignInWithSsoAsync(FakeOidcUser user)
    {
        portal.Oidc.NextUser = user;
        var cookies = new Dictionary<string, string>();
        using var client = portal.CreateClient(token: null);
        var challenge = await client.GetAsync("/account/sso?returnUrl=/exports");
        Keep(challenge, cookies);
        using var idp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var form = await idp.GetStringAsync(challenge.Headers.Location);
        var action = FormAction().Match(form).Groups[1].Value;
        var fields = HiddenInput().Matches(form).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        using var callback = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        callback.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        var signedIn = await client.SendAsync(callback);
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"{(int)signedIn.StatusCode} {await signedIn.Content.ReadAsStringAsync()}");
        Assert.Equal("/exports", signedIn.Headers.Location!.OriginalString);
        Keep(signedIn, cookies);
        Assert.Contains("meshportal.auth", cookies.Keys);
        return cookies;
    }

    private async Task<HttpResponseMessage> GetWithCookiesAsync(string path, Dictionary<string, string> cookies)
    {
        using var client = portal.CreateClient(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        return await client.SendAsync(request);
    }

    private static void Keep(HttpResponseMessage response, Dictionary<string, string> cookies)
    {
        foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = header.Split(';')[0];
            var eq = pair.IndexOf('=');
            cookies[pair[..eq]] = pair[(eq + 1)..];
        }
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenInput();
}
