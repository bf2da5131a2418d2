using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Web.Access;

[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class AccessTests(PortalFixture portal)
{
    [Theory]
    [InlineData("/api/v1/clusters")]
    [InlineData("/openapi/v1.json")]
    public async Task Api_WithoutCredentials_Returns401Problem(string path)
    {
        var response = await portal.CreateClient(token: null).GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Api_WithUnknownToken_Returns401()
    {
        var response = await portal.CreateClient("mp_not-a-real-token").GetAsync("/api/v1/clusters");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/clusters")]
    [InlineData("/settings")]
    public async Task Pages_WithoutSignIn_RedirectToLogin(string path)
    {
        var response = await portal.CreateClient(token: null).GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task JobsDashboard_NeedsAdmin()
    {
        var anonymous = await portal.CreateClient(token: null).GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        var bearer = await portal.CreateClient().GetAsync("/jobs");
        Assert.Equal(HttpStatusCode.Redirect, bearer.StatusCode); // API tokens never reach pages
        using var admin = await FormSignIn.CookieClientAsync(portal, PortalFixture.AdminUser, PortalFixture.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task PublicEndpoints_AnswerWithoutSignIn()
    {
        var client = portal.CreateClient(token: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        await Eventually.ReturnsAsync(() => client.GetAsync("/readyz"), r => r.StatusCode == HttpStatusCode.OK, "/readyz to report the database and job server ready");
    }

    [Fact]
    public async Task StaticFiles_AreServedFromTopLevelWwwroot()
    {
        var response = await portal.CreateClient(token: null).GetAsync("/css/app.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = await File.ReadAllTextAsync(Path.Combine(Repo.Root(), "wwwroot", "css", "app.css"));
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_DescribesClusterEndpointsAndBearerAuth()
    {
        var doc = await PortalApi.JsonAsync(await portal.CreateClient().GetAsync("/openapi/v1.json"));
        Assert.NotNull(doc["paths"]!["/api/v1/clusters"]);
        Assert.NotNull(doc["paths"]!["/api/v1/clusters/{name}/check"]);
        Assert.NotNull(doc["components"]!["securitySchemes"]!["bearer"]);
    }

    [Fact]
    public async Task Metrics_AreOpenToScrapers_AndCountClustersByStatus()
    {
        var text = await portal.CreateClient(token: null).GetStringAsync("/metrics");
        Assert.DoesNotContain(PortalFixture.AdminToken, text);
        Assert.Contains("meshportal_clusters{status=\"Connected\"}", text);
        Assert.Contains("meshportal_clusters{status=\"Unreachable\"}", text);
    }

    [Fact]
    public async Task ReadOnlyToken_CanReadButNotRegister()
    {
        using var scope = portal.Services.CreateScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(PortalFixture.AdminUser);
        var (token, _) = await scope.ServiceProvider.GetRequiredService<ApiTokenStore>()
            .CreateAsync(admin!.Id, "read-only-test", DateTimeOffset.UtcNow.AddHours(1), readOnly: true);
        var client = portal.CreateClient(token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/clusters")).StatusCode);
        var post = await client.PostAsJsonAsync("/api/v1/clusters", new { name = "ro-denied", kubeconfig = portal.Mesh["cluster-1"].KubeconfigYaml });
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Contains("read-only", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpiredToken_IsRefused()
    {
        using var scope = portal.Services.CreateScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(PortalFixture.AdminUser);
        var (token, _) = await scope.ServiceProvider.GetRequiredService<ApiTokenStore>()
            .CreateAsync(admin!.Id, "expired-test", DateTimeOffset.UtcNow.AddMinutes(-1), readOnly: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient(token).GetAsync("/api/v1/clusters")).StatusCode);
    }
}
