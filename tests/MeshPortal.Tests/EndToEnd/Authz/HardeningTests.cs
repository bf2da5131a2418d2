using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.EndToEnd.Authz;

/// <summary>
/// Issue 17: credential × surface. Bearer tokens only reach the API; cookie-authenticated state changes from another
/// site are refused on every endpoint; every response carries the security headers; one process per data directory.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class HardeningTests(PortalFixture portal)
{
    private const string Password = "Hardening-Password-12345";

    [Theory]
    [InlineData("/")]
    [InlineData("/tokens")]
    [InlineData("/users")]
    [InlineData("/clusters")]
    [InlineData("/jobs")]
    public async Task BearerTokens_NeverAuthenticateAPage_ReadOnlyOrNot(string path)
    {
        var (full, readOnly) = await AdminTokensAsync();
        foreach (var token in new[] { full, readOnly })
        {
            var response = await portal.CreateClient(token).GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task BearerTokens_NeverOpenABlazorCircuit_ButTheSessionCookieDoes()
    {
        var (full, readOnly) = await AdminTokensAsync();
        foreach (var token in new[] { full, readOnly })
        {
            var negotiate = await portal.CreateClient(token).PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
            Assert.NotEqual(HttpStatusCode.OK, negotiate.StatusCode);
            Assert.DoesNotContain("connectionToken", await negotiate.Content.ReadAsStringAsync());
        }

        using var cookie = await FormSignIn.CookieClientAsync(portal, PortalFixture.AdminUser, PortalFixture.AdminPassword);
        var allowed = await cookie.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("connectionToken", await allowed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CrossSiteStateChanges_WithTheSessionCookie_AreRefusedEverywhere_AndChangeNothing()
    {
        var victimName = $"victim-{Guid.NewGuid().ToString("N")[..6]}";
        var victim = (string)(await JsonAsync(await portal.CreateClient().PostAsJsonAsync("/api/v1/users", new { userName = victimName, password = Password, role = "Viewer" })))["id"]!;
        using var admin = await FormSignIn.CookieClientAsync(portal, PortalFixture.AdminUser, PortalFixture.AdminPassword);
        var failures = new List<string>();
        var cells = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Post, $"/api/v1/users/{victim}/lock"),
            (HttpMethod.Post, "/api/v1/reachability/run"),
            (HttpMethod.Post, "/api/v1/clusters/any/sync"),
            (HttpMethod.Delete, "/api/v1/tokens/1"),
            (HttpMethod.Put, "/api/v1/settings/canary"),
            (HttpMethod.Post, "/account/logout"),
            (HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1"),
            (HttpMethod.Post, "/jobs/recurring/trigger"),
        };
        var attacks = new (string Header, string Value)[]
        {
            ("Origin", "https://evil.example"),
            ("Origin", "null"),
            ("Sec-Fetch-Site", "cross-site"),
            ("Sec-Fetch-Site", "same-site"),
        };
        foreach (var (method, path) in cells)
        {
            foreach (var (header, value) in attacks)
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.TryAddWithoutValidation(header, value);
                var response = await admin.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Forbidden)
                {
                    failures.Add($"{method} {path} with {header}: {value} answered {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(failures);
        var users = await JsonAsync(await portal.CreateClient().GetAsync("/api/v1/users"));
        Assert.False((bool)users.AsArray().Single(u => (string?)u!["id"] == victim)!["lockedOut"]!);

        // The same browser request from the portal's own pages passes.
        using var own = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/users/{victim}/lock");
        own.Headers.Add("Origin", portal.BaseAddress.GetLeftPart(UriPartial.Authority));
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(own)).StatusCode);
        await portal.CreateClient().PostAsync($"/api/v1/users/{victim}/unlock", null);
    }

    [Theory]
    [InlineData("/", false)]
    [InlineData("/login", false)]
    [InlineData("/jobs", true)]
    [InlineData("/api-docs/", true)]
    [InlineData("/api/v1/clusters", true)]
    [InlineData("/api/v1/clusters", false)]
    [InlineData("/css/app.css", false)]
    [InlineData("/no-such-page", false)]
    [InlineData("/healthz", false)]
    public async Task EveryResponse_CarriesTheSecurityHeaders_AndNoServerHeader(string path, bool signedIn)
    {
        using var client = signedIn
            ? await FormSignIn.CookieClientAsync(portal, PortalFixture.AdminUser, PortalFixture.AdminPassword)
            : portal.CreateClient(token: null);
        var response = await client.GetAsync(path);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(",", response.Headers.TryGetValues("Server", out var s) ? s : [])}");
    }

    [Fact]
    public async Task PortalPages_AllowOnlyTheirOwnScripts_WithTheNonceOnTheImportMap()
    {
        var response = await portal.CreateClient(token: null).GetAsync("/login");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "script-src 'self' 'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"nonce=\"{nonce}\"", html);
        Assert.NotEqual(nonce, System.Text.RegularExpressions.Regex.Match(
            (await portal.CreateClient(token: null).GetAsync("/login")).Headers.GetValues("Content-Security-Policy").Single(), "'nonce-([^']+)'").Groups[1].Value);
    }

    [Fact]
    public async Task ASecondProcess_OnTheSameDataDirectory_ExitsWithOneClearSentence()
    {
        await using var second = PortalProcess.Start(portal.DataDirectory, new Dictionary<string, string>());
        var exit = await second.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, exit);
        Assert.Contains($"MeshPortal cannot start: Another MeshPortal process is already using the data directory {portal.DataDirectory}", second.Output);
        Assert.DoesNotContain("   at ", second.Output);

        // The first one still serves.
        Assert.Equal(HttpStatusCode.OK, (await portal.CreateClient().GetAsync("/api/v1/clusters")).StatusCode);
    }

    private async Task<(string Full, string ReadOnly)> AdminTokensAsync()
    {
        using var scope = portal.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var adminId = await db.Users.Where(u => u.UserName == PortalFixture.AdminUser).Select(u => u.Id).SingleAsync();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenStore>();
        var hour = DateTimeOffset.UtcNow.AddHours(1);
        return ((await tokens.CreateAsync(adminId, "pages", hour, readOnly: false)).Token, (await tokens.CreateAsync(adminId, "pages-ro", hour, readOnly: true)).Token);
    }
}

/// <summary>Issue 17, finding 13: every error on /api is problem+json that says what was wrong and where.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ApiErrorTests(PortalFixture portal)
{
    public static TheoryData<string, string, int, string, string?> BadBodies() => new()
    {
        { "{\"name\": ", "application/json", 400, "The request body is not valid", null },
        { "not json at all", "application/json", 400, "The request body is not valid JSON", null },
        { "{\"name\": 5}", "application/json", 400, "at JSON path $.name", "$.name" },
        { "{\"name\": \"x\", \"description\": [1]}", "application/json", 400, "at JSON path $.description", "$.description" },
        { "name=x", "text/plain", 415, "Content-Type: application/json", null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ABodyTheApiCannotRead_IsAProblemNamingWhatAndWhere_AndCreatesNothing(string body, string contentType, int status, string detail, string? path)
    {
        var api = portal.CreateClient();
        var before = (await JsonAsync(await api.GetAsync("/api/v1/teams"))).AsArray().Count;
        using var content = new StringContent(body, System.Text.Encoding.UTF8, contentType);
        var response = await api.PostAsync("/api/v1/teams", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        Assert.Contains(detail, (string?)problem["detail"]);
        Assert.DoesNotContain("No such resource", text);
        Assert.DoesNotContain("   at ", text); // no stack trace, also in Development (the fixture's environment)
        if (path is not null)
        {
            Assert.NotNull(problem["errors"]?[path]);
        }

        Assert.Equal(before, (await JsonAsync(await api.GetAsync("/api/v1/teams"))).AsArray().Count);
    }

    [Fact]
    public async Task AnUnknownRouteAndAWrongMethod_AreDistinctProblems()
    {
        var api = portal.CreateClient();
        var missing = await api.GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        var wrongMethod = await api.PatchAsync("/api/v1/teams", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("does not accept that HTTP method", await wrongMethod.Content.ReadAsStringAsync());
    }
}

/// <summary>Issue 17, finding 12: a bounded number of tokens per user, none without an end, revoked by a password reset, listed in pages.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class TokenHygieneTests(PortalFixture portal)
{
    [Fact]
    public async Task AUser_HoldsAtMost50ActiveTokens_TheNextIsA409ThatCreatesNothing()
    {
        var (userId, token) = await PortalUsers.NonAdminTokenAsync(portal, $"minter-{Guid.NewGuid().ToString("N")[..6]}");
        var user = portal.CreateClient(token);
        var ids = new List<int>();
        for (var i = 0; i < 49; i++) // the token used for the calls is the 50th
        {
            var created = await user.PostAsJsonAsync("/api/v1/tokens", new { name = $"t{i}" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            ids.Add((int)(await JsonAsync(created))["details"]!["id"]!);
        }

        var refused = await user.PostAsJsonAsync("/api/v1/tokens", new { name = "one-too-many" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("50 active API tokens", await refused.Content.ReadAsStringAsync());
        var list = await user.GetAsync("/api/v1/tokens?take=500");
        Assert.Equal("50", list.Headers.GetValues("X-Total-Count").Single());

        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"/api/v1/tokens/{ids[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await user.PostAsJsonAsync("/api/v1/tokens", new { name = "after-revoke" })).StatusCode);
        Assert.NotEmpty(userId);
    }

    [Fact]
    public async Task ATokenWithoutExpiry_Lives90Days_AndTheListIsPaged()
    {
        var (_, token) = await PortalUsers.NonAdminTokenAsync(portal, $"pager-{Guid.NewGuid().ToString("N")[..6]}");
        var user = portal.CreateClient(token);
        var created = await JsonAsync(await user.PostAsJsonAsync("/api/v1/tokens", new { name = "no-expiry-given" }));
        var expires = DateTimeOffset.Parse((string)created["details"]!["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(89), DateTimeOffset.UtcNow.AddDays(91));
        Assert.Equal(HttpStatusCode.BadRequest, (await user.PostAsJsonAsync("/api/v1/tokens", new { name = "too-long", expiresInDays = 400 })).StatusCode);

        var page = await user.GetAsync("/api/v1/tokens?skip=1&take=1");
        Assert.Single((await JsonAsync(page)).AsArray());
        Assert.Equal("2", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal(HttpStatusCode.BadRequest, (await user.GetAsync("/api/v1/tokens?take=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await user.GetAsync("/api/v1/tokens?take=501")).StatusCode);
    }

    [Fact]
    public async Task APasswordReset_RevokesTheUsersTokens()
    {
        var (userId, token) = await PortalUsers.NonAdminTokenAsync(portal, $"reset-{Guid.NewGuid().ToString("N")[..6]}");
        var user = portal.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/v1/clusters")).StatusCode);

        var reset = await portal.CreateClient().PostAsJsonAsync($"/api/v1/users/{userId}/password", new { password = "Brand-New-Password-77" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/v1/clusters")).StatusCode);
    }
}

/// <summary>The cross-origin rule itself, for the cases a browser test cannot easily produce.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class CrossOriginGuardTests
{
    private static string? Refusal(string method, string path, params (string Name, string Value)[] headers)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString("portal.example");
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return MeshPortal.Web.Security.CrossOriginGuard.Refusal(context.Request);
    }

    [Fact]
    public void TheOidcCallback_IsACrossSiteFormPostByDesign_AndPasses() =>
        Assert.Null(Refusal("POST", "/signin-oidc", ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://idp.example")));

    [Fact]
    public void ACrossSiteWebSocketToTheHub_IsRefused() =>
        Assert.NotNull(Refusal("GET", "/_blazor", ("Upgrade", "websocket"), ("Origin", "https://evil.example")));

    [Fact]
    public void SameOriginAndNonBrowserRequests_Pass()
    {
        Assert.Null(Refusal("POST", "/api/v1/reachability/run", ("Origin", "https://portal.example")));
        Assert.Null(Refusal("POST", "/api/v1/reachability/run"));
        Assert.Null(Refusal("GET", "/clusters", ("Sec-Fetch-Site", "cross-site")));
        Assert.NotNull(Refusal("POST", "/api/v1/reachability/run", ("Origin", "https://portal.example.evil")));
    }
}
