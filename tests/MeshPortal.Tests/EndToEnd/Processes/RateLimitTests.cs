using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MeshPortal.Web.Security;

namespace MeshPortal.Tests.EndToEnd.Processes;

/// <summary>Issue 17, finding 7: sign-in, token creation and the API are rate limited (a portal process with small limits).</summary>
[Trait("Speed", "EndToEnd")]
public sealed class RateLimitTests
{
    private const string Token = "mp_rate-limit-test-token-0123456789abcdefghij";

    [Fact]
    public async Task SignIn_TokenCreation_AndTheApi_Answer429WithRetryAfter_OverTheirLimits()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-ratelimit-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__Bootstrap__AdminPassword"] = "Rate-Limit-Password-123",
                ["MeshPortal__Bootstrap__AdminToken"] = Token,
                ["MeshPortal__RateLimits__SignInPerMinute"] = "3",
                ["MeshPortal__RateLimits__TokenCreationPerMinute"] = "2",
                ["MeshPortal__RateLimits__ApiPerMinute"] = "10",
            });
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = portal.Address };

            var signIns = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.UserName"] = "admin", ["Input.Password"] = "guess" });
                signIns.Add((await http.PostAsync("/login", form)).StatusCode);
            }

            Assert.DoesNotContain(HttpStatusCode.TooManyRequests, signIns.Take(3));
            Assert.Equal(HttpStatusCode.TooManyRequests, signIns[3]);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/login")).StatusCode); // showing the form is not limited

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/v1/tokens", new { name = "a" })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/v1/tokens", new { name = "b" })).StatusCode);
            var third = await http.PostAsJsonAsync("/api/v1/tokens", new { name = "c" });
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Too many API tokens created", await third.Content.ReadAsStringAsync());
            Assert.True(third.Headers.RetryAfter is not null);

            var api = new List<HttpStatusCode>();
            for (var i = 0; i < 11; i++)
            {
                api.Add((await http.GetAsync("/api/v1/clusters")).StatusCode);
            }

            Assert.All(api.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
            Assert.Equal(HttpStatusCode.TooManyRequests, api[10]);
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // cleaned by the OS
            }
        }
    }

    [Fact]
    public void Partitions_SignInPerClient_TokensAndApiPerUser_PagesNotAtAll()
    {
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        var alice = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, "u-1")], "test"));
        Assert.Equal(("sign-in", "ip:192.0.2.1"), RateLimits.Partition("POST", "/login", anonymous, "192.0.2.1"));
        Assert.Null(RateLimits.Partition("GET", "/login", anonymous, "192.0.2.1"));
        Assert.Equal(("token-creation", "user:u-1"), RateLimits.Partition("POST", "/api/v1/tokens", alice, "192.0.2.1"));
        Assert.Equal(("api", "user:u-1"), RateLimits.Partition("GET", "/api/v1/clusters", alice, "192.0.2.1"));
        Assert.Equal(("api", "ip:192.0.2.1"), RateLimits.Partition("GET", "/api/v1/clusters", anonymous, "192.0.2.1"));
        Assert.Null(RateLimits.Partition("GET", "/clusters", alice, "192.0.2.1"));
    }
}

/// <summary>Issue 17, finding 9: X-Forwarded-* only from configured proxies; HSTS outside Development.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class ForwardedHeadersTests
{
    private const string Token = "mp_forwarded-test-token-0123456789abcdefghijk";

    [Fact]
    public async Task AConfiguredProxy_GivesTheClientAddressAndScheme_AndHttpsAnswersCarryHsts()
    {
        var data = Path.Combine(Path.GetTempPath(), "meshportal-proxy-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var portal = PortalProcess.Start(data, new Dictionary<string, string>
            {
                ["MeshPortal__Bootstrap__AdminPassword"] = "Proxy-Test-Password-123",
                ["MeshPortal__Bootstrap__AdminToken"] = Token,
                ["MeshPortal__Proxies__KnownProxies__0"] = "127.0.0.1",
            });
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(90));
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = portal.Address };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

            using var run = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reachability/run");
            run.Headers.Add("X-Forwarded-For", "203.0.113.7");
            Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(run)).StatusCode);
            Assert.Equal("203.0.113.7", await PortalApi.LastRemoteIpAsync(http, "probe.requested"));

            using var https = new HttpRequestMessage(HttpMethod.Get, "/login");
            https.Headers.Host = "portal.example";
            https.Headers.Add("X-Forwarded-Proto", "https");
            var answer = await http.SendAsync(https);
            Assert.Contains("max-age=", answer.Headers.GetValues("Strict-Transport-Security").Single());
            Assert.Contains(answer.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));

            using var plain = new HttpRequestMessage(HttpMethod.Get, "/login");
            plain.Headers.Host = "portal.example";
            Assert.False((await http.SendAsync(plain)).Headers.Contains("Strict-Transport-Security"));
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // cleaned by the OS
            }
        }
    }

    [Fact]
    public void ABadProxyEntry_IsRefusedWithOneSentence()
    {
        var refused = Assert.Throws<MeshPortal.Web.Hosting.StartupRefusedException>(() =>
            ProxySetup.Build(new ProxyOptions { KnownNetworks = ["10.0.0.0/33"] }));
        Assert.Contains("KnownNetworks has '10.0.0.0/33'", refused.Message);
    }
}

/// <summary>Without configured proxies a client cannot choose the address the audit log records.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ForwardedHeadersIgnoredTests(PortalFixture portal)
{
    [Fact]
    public async Task XForwardedFor_FromAnUnconfiguredProxy_IsIgnored()
    {
        var admin = portal.CreateClient();
        using var run = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reachability/run");
        run.Headers.Add("X-Forwarded-For", "203.0.113.99");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.SendAsync(run)).StatusCode);
        Assert.Equal("127.0.0.1", await PortalApi.LastRemoteIpAsync(admin, "probe.requested"));
    }
}
