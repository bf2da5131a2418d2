using System.Net;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Web.Audit;

/// <summary>Screen tokens over HTTP: the link sets a screen-only cookie that opens /screen and nothing else; revoking it ends it.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class ScreenAccessTests(PortalFixture portal)
{
    [Fact]
    public async Task A_screen_link_opens_the_screen_only_until_revoked()
    {
        var store = portal.Services.GetRequiredService<ScreenTokenStore>();
        var (token, entity, _) = await store.CreateAsync("lobby " + Guid.NewGuid().ToString("N")[..4], null, new AuditContext("admin"), CancellationToken.None);
        using var anonymous = portal.CreateClient(token: null);

        var bad = await anonymous.GetAsync("/screen?token=mps_wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/screen")).StatusCode);

        var link = await anonymous.GetAsync($"/screen?token={token}");
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        Assert.Equal("/screen", link.Headers.Location!.OriginalString);
        var cookie = Assert.Single(link.Headers.GetValues("Set-Cookie"), c => c.StartsWith("meshportal.screen=", StringComparison.Ordinal)).Split(';')[0];

        var screen = await GetWithCookieAsync("/screen", cookie);
        Assert.Equal(HttpStatusCode.OK, screen.StatusCode);
        Assert.Contains("Mesh health", await screen.Content.ReadAsStringAsync());

        // Nothing else: pages go to sign-in, the API answers 401, the token is no bearer token.
        foreach (var page in new[] { "/", "/clusters", "/audit", "/tokens", "/screen-tokens", "/api-docs" })
        {
            var response = await GetWithCookieAsync(page, cookie);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/login"), $"{page}: {response.StatusCode}");
        }

        foreach (var api in new[] { "/api/v1/clusters", "/api/v1/audit", "/api/v1/tokens", "/openapi/v1.json" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetWithCookieAsync(api, cookie)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient(token).GetAsync("/api/v1/clusters")).StatusCode);

        Assert.True(await store.RevokeAsync(entity!.Id, new AuditContext("admin"), CancellationToken.None));
        var after = await GetWithCookieAsync("/screen", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("revoked", await after.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/screen?token={token}")).StatusCode);

        var audit = await PortalApi.JsonAsync(await portal.CreateClient().GetAsync($"/api/v1/audit?kind=screen_token&q={Uri.EscapeDataString(entity.Name)}"));
        Assert.Equal(["screen_token.revoked", "screen_token.created"], audit["items"]!.AsArray().Select(i => (string)i!["action"]!).ToArray());
    }

    [Fact]
    public async Task An_expired_screen_token_does_not_open_the_screen()
    {
        var store = portal.Services.GetRequiredService<ScreenTokenStore>();
        var (token, entity, _) = await store.CreateAsync("short", DateTimeOffset.UtcNow.AddMinutes(5), new AuditContext("admin"), CancellationToken.None);
        Assert.True(await store.IsValidAsync(entity!.Id, CancellationToken.None));
        var (none, _, error) = await store.CreateAsync("past", DateTimeOffset.UtcNow.AddMinutes(-5), new AuditContext("admin"), CancellationToken.None);
        Assert.Null(none);
        Assert.Contains("future", error);
        Assert.Null(await store.ValidateAsync(token!.Replace("mps_", "mp_"), CancellationToken.None));
    }

    private async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await portal.CreateClient(token: null).SendAsync(request);
    }
}
