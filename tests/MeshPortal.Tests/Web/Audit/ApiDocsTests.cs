using System.Net;
using System.Text.RegularExpressions;

namespace MeshPortal.Tests.Web.Audit;

/// <summary>The interactive API page is served from this app (no CDN), for signed-in users; the document describes auth and errors.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed partial class ApiDocsTests(PortalFixture portal)
{
    [Fact]
    public async Task The_API_page_loads_its_script_from_the_portal_itself()
    {
        var anonymous = await portal.CreateClient(token: null).GetAsync("/api-docs/");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/login", anonymous.Headers.Location!.OriginalString);

        // A page: for a signed-in browser, not for a bearer token.
        Assert.Equal(HttpStatusCode.Redirect, (await portal.CreateClient().GetAsync("/api-docs/")).StatusCode);
        using var api = await FormSignIn.CookieClientAsync(portal, PortalFixture.AdminUser, PortalFixture.AdminPassword);
        var response = await api.GetAsync("/api-docs/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var sources = ScriptSources().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(sources);
        Assert.DoesNotContain("https://", html.Replace("https://httpstatuses.io", ""));
        foreach (var src in sources)
        {
            Assert.False(Uri.TryCreate(src, UriKind.Absolute, out var abs) && abs.Host != portal.BaseAddress.Host, $"external script {src}");
            var script = await api.GetAsync(new Uri(new Uri(portal.BaseAddress, "/api-docs/"), src));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }

        // The whole Scalar bundle (several MB) comes from the portal, not from a CDN.
        var bundle = await api.GetAsync("/api-docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync()).Length > 1_000_000);
    }

    [Fact]
    public async Task The_document_describes_token_and_audit_endpoints_with_auth_and_problem_errors()
    {
        var doc = await PortalApi.JsonAsync(await portal.CreateClient().GetAsync("/openapi/v1.json"));
        Assert.NotNull(doc["components"]!["securitySchemes"]!["cookie"]);
        var post = doc["paths"]!["/api/v1/tokens"]!["post"]!;
        foreach (var status in new[] { "400", "401", "403", "409" })
        {
            Assert.NotNull(post["responses"]![status]!["content"]!["application/problem+json"]);
        }

        Assert.NotNull(doc["paths"]!["/api/v1/tokens/{id}"]!["delete"]!["responses"]!["404"]);
        Assert.NotNull(doc["paths"]!["/api/v1/audit"]!["get"]!["responses"]!["403"]);
        Assert.NotNull(doc["paths"]!["/api/v1/audit.csv"]);
    }

    [GeneratedRegex("<script[^>]*src=\"([^\"]+)\"")]
    private static partial Regex ScriptSources();
}
