using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Web;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Web.Audit;

/// <summary><c>GET /api/v1/audit</c> and the CSV download on the real portal: recorded by the services, paged, filtered, admins only.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class AuditApiTests(PortalFixture portal)
{
    [Fact]
    public async Task A_cluster_change_through_the_API_is_recorded_with_who_token_and_where()
    {
        using var api = portal.CreateClient();
        api.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");
        var name = "aud-" + Guid.NewGuid().ToString("N")[..6];
        var registered = await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = portal.Mesh["cluster-1"].KubeconfigYaml, context = "cluster-1", network = "net-a" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/clusters/{name}", new { network = "net-b" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/clusters/{name}")).StatusCode);

        var page = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?kind=cluster&q={name}"));
        var items = page["items"]!.AsArray();
        Assert.Equal(["cluster.deleted", "cluster.changed", "cluster.registered"], items.Select(i => (string)i!["action"]!).ToArray());
        var changed = items[1]!;
        Assert.Equal(PortalFixture.AdminUser, (string)changed["actor"]!);
        Assert.Equal("bootstrap", (string)changed["tokenName"]!);
        Assert.Equal("127.0.0.1", (string)changed["remoteIp"]!);
        Assert.Equal("audit-test/1.0", (string)changed["userAgent"]!);
        Assert.Contains("net-a", (string)changed["before"]!);
        Assert.Contains("net-b", (string)changed["after"]!);

        // Never secrets: the kubeconfig's credentials appear in no field of any entry.
        var all = page.ToJsonString();
        Assert.DoesNotContain("client-key-data", all);
        Assert.DoesNotContain("token:", all);
    }

    [Fact]
    public async Task Pages_and_filters_narrow_the_result()
    {
        var kind = "paging-" + Guid.NewGuid().ToString("N")[..6];
        var log = portal.Services.GetRequiredService<IAuditLog>();
        for (var i = 0; i < 5; i++)
        {
            await log.RecordAsync(new AuditContext(i % 2 == 0 ? "carol" : "dave"), new AuditEvent($"{kind}.made", kind, "t" + i,
                Outcome: i == 4 ? AuditOutcomes.Failed : AuditOutcomes.Success));
        }

        using var api = portal.CreateClient();
        var second = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?kind={kind}&pageSize=2&page=2"));
        Assert.Equal(5, (int)second["total"]!);
        Assert.Equal(["t2", "t1"], second["items"]!.AsArray().Select(i => (string)i!["target"]!).ToArray());

        var carol = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?kind={kind}&actor=carol"));
        Assert.Equal(3, (int)carol["total"]!);
        var failed = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?action={kind}&outcome=failed"));
        Assert.Equal("t4", (string)failed["items"]![0]!["target"]!);
        var none = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?kind={kind}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}"));
        Assert.Equal(0, (int)none["total"]!);
    }

    [Fact]
    public async Task Csv_download_quotes_and_defuses_formulas()
    {
        var marker = "csv-" + Guid.NewGuid().ToString("N")[..6];
        await portal.Services.GetRequiredService<IAuditLog>().RecordAsync(new AuditContext("=cmd|' /C calc'!A0"),
            new AuditEvent("export.created", "export", "=HYPERLINK(\"http://evil\")", $"{marker}, <script>alert(1)</script>"));

        var response = await portal.CreateClient().GetAsync($"/api/v1/audit.csv?q={marker}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("id,at_utc,actor", lines[0]);
        Assert.Contains(",'=cmd|' /C calc'!A0,", lines[1]);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",", lines[1]);
        Assert.Contains($"\"{marker}, <script>alert(1)</script>\"", lines[1]);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        var (_, userToken) = await PortalUsers.NonAdminTokenAsync(portal, "audit-viewer");
        foreach (var path in new[] { "/api/v1/audit", "/api/v1/audit.csv" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await portal.CreateClient(userToken).GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient(token: null).GetAsync(path)).StatusCode);
        }

        // The page is for signed-in admins; an API token never reaches a page (it is sent to sign in).
        Assert.Equal(HttpStatusCode.Redirect, (await portal.CreateClient(userToken).GetAsync("/audit")).StatusCode);
    }

    [Fact]
    public async Task Manual_sync_and_probe_runs_are_recorded()
    {
        using var api = portal.CreateClient();
        var cluster = await RegisterAsync(api);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/clusters/{cluster}/sync", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/reachability/run?cluster={cluster}", null)).StatusCode);

        var sync = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?action=sync.requested&q={cluster}"));
        Assert.True((int)sync["total"]! >= 1);
        var probe = await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/audit?action=probe.requested&q={cluster}"));
        Assert.True((int)probe["total"]! >= 1);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/clusters/{cluster}")).StatusCode);
    }

    private async Task<string> RegisterAsync(HttpClient api)
    {
        var name = "aud-s-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = portal.Mesh["cluster-1"].KubeconfigYaml, context = "cluster-1" })).StatusCode);
        return name;
    }
}
