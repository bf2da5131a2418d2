using System.Net;
using System.Net.Http.Json;

namespace MeshPortal.Tests.Web.Tokens;

/// <summary><c>/api/v1/tokens</c>: create (value once), list (never the value), revoke; expired/revoked → 401; read-only cannot write or mint.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class TokenApiTests(PortalFixture portal)
{
    [Fact]
    public async Task Create_use_list_and_revoke_a_token()
    {
        var (_, userToken) = await PortalUsers.NonAdminTokenAsync(portal, "token-user");
        using var user = portal.CreateClient(userToken);
        var name = "ci-" + Guid.NewGuid().ToString("N")[..6];
        var created = await user.PostAsJsonAsync("/api/v1/tokens", new { name, expiresInDays = 30 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await PortalApi.JsonAsync(created);
        var token = (string)body["token"]!;
        var id = (int)body["details"]!["id"]!;
        Assert.StartsWith("mp_", token);
        Assert.Equal("token-user", (string)body["details"]!["owner"]!);

        using var ci = portal.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync("/api/v1/clusters")).StatusCode);

        var listed = (await PortalApi.JsonAsync(await user.GetAsync("/api/v1/tokens"))).AsArray();
        var row = Assert.Single(listed, t => (string)t!["name"]! == name)!;
        Assert.NotNull(row["lastUsedAt"]);
        Assert.Equal("active", (string)row["state"]!);
        Assert.DoesNotContain(token, listed.ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/tokens?all=true")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        var refused = await ci.GetAsync("/api/v1/clusters");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync());

        var audit = await PortalApi.JsonAsync(await portal.CreateClient().GetAsync($"/api/v1/audit?kind=token&q={name}"));
        Assert.Equal(["token.revoked", "token.created"], audit["items"]!.AsArray().Select(i => (string)i!["action"]!).ToArray());
        Assert.DoesNotContain(token, audit.ToJsonString());
    }

    [Fact]
    public async Task Users_cannot_revoke_other_users_tokens_but_admins_can()
    {
        var (_, mine) = await PortalUsers.NonAdminTokenAsync(portal, "token-owner");
        var (_, other) = await PortalUsers.NonAdminTokenAsync(portal, "token-other");
        var created = await PortalApi.JsonAsync(await portal.CreateClient(mine).PostAsJsonAsync("/api/v1/tokens", new { name = "owned" }));
        var id = (int)created["details"]!["id"]!;

        Assert.Equal(HttpStatusCode.NotFound, (await portal.CreateClient(other).DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        var all = (await PortalApi.JsonAsync(await portal.CreateClient().GetAsync("/api/v1/tokens?all=true"))).AsArray();
        Assert.Contains(all, t => (int)t!["id"]! == id);
        Assert.Equal(HttpStatusCode.NoContent, (await portal.CreateClient().DeleteAsync($"/api/v1/tokens/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient((string)created["token"]!).GetAsync("/api/v1/clusters")).StatusCode);
    }

    [Fact]
    public async Task A_read_only_token_can_read_but_not_write_or_mint_tokens()
    {
        var readOnly = await PortalUsers.AdminTokenAsync(portal, readOnly: true);
        using var client = portal.CreateClient(readOnly);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens")).StatusCode);

        var mint = await client.PostAsJsonAsync("/api/v1/tokens", new { name = "escalate" });
        Assert.Equal(HttpStatusCode.Forbidden, mint.StatusCode);
        Assert.Contains("read-only", await mint.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/exports", new { cluster = "x", @namespace = "bar", service = "httpbin" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync("/api/v1/tokens/1")).StatusCode);

        var denied = await PortalApi.JsonAsync(await portal.CreateClient().GetAsync("/api/v1/audit?action=token.created&outcome=denied&q=escalate"));
        Assert.True((int)denied["total"]! >= 1);
    }

    [Fact]
    public async Task An_expired_token_gets_401_saying_so()
    {
        var expired = await PortalUsers.AdminTokenAsync(portal, readOnly: false, expiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        var response = await portal.CreateClient(expired).GetAsync("/api/v1/tokens");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", 30)]
    [InlineData("fine", -1)]
    public async Task Bad_input_is_a_400_and_creates_nothing(string name, int days)
    {
        var body = days < 0 ? (object)new { name, expiresAt = DateTimeOffset.UtcNow.AddDays(-1) } : new { name, expiresInDays = days };
        var response = await portal.CreateClient().PostAsJsonAsync("/api/v1/tokens", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
