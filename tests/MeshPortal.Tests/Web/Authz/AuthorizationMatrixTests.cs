using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Tokens;
using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Web.Authz;

/// <summary>
/// Role × action over the real API: admin, team members of two teams, a viewer, a read-only token, expired and revoked
/// tokens and no credentials. Every cell is checked (all mismatches are reported together), and refused writes save nothing.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "Web")]
public sealed class AuthorizationMatrixTests(PortalFixture portal) : IAsyncLifetime
{
    private const string Password = "Matrix-Password-12345";
    private readonly string suffix = Guid.NewGuid().ToString("N")[..6];
    private readonly HttpClient admin = portal.CreateClient();
    private readonly List<string> failures = [];
    private string exporter = "";
    private string consumer = "";
    private string alpha = "";
    private string beta = "";
    private readonly Dictionary<string, HttpClient> who = [];

    public async Task InitializeAsync()
    {
        exporter = await RegisterAsync(admin, portal, "cluster-2", "mx2");
        consumer = await RegisterAsync(admin, portal, "cluster-1", "mx1");
        alpha = $"alpha-{suffix}";
        beta = $"beta-{suffix}";
        var alphaId = await CreateTeamAsync(alpha, exporter, "bar");
        var betaId = await CreateTeamAsync(beta, "*", "foo");
        Assert.NotEqual(alphaId, betaId);

        var alice = await CreateUserAsync($"alice-{suffix}", "TeamMember", alpha);
        var bob = await CreateUserAsync($"bob-{suffix}", "TeamMember", beta);
        var vera = await CreateUserAsync($"vera-{suffix}", "Viewer", null);

        using var scope = portal.Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenStore>();
        var hour = DateTimeOffset.UtcNow.AddHours(1);
        who["admin"] = admin;
        var adminId = (string)(await JsonAsync(await admin.GetAsync("/api/v1/users"))).AsArray().Single(u => (string?)u!["userName"] == PortalFixture.AdminUser)!["id"]!;
        who["admin-ro"] = portal.CreateClient((await tokens.CreateAsync(adminId, "audit-ro", hour, readOnly: true)).Token);
        who["alice"] = portal.CreateClient((await tokens.CreateAsync(alice, "ci", hour, readOnly: false)).Token);
        who["alice-ro"] = portal.CreateClient((await tokens.CreateAsync(alice, "ci-ro", hour, readOnly: true)).Token);
        who["bob"] = portal.CreateClient((await tokens.CreateAsync(bob, "ci", hour, readOnly: false)).Token);
        who["vera"] = portal.CreateClient((await tokens.CreateAsync(vera, "ci", hour, readOnly: false)).Token);
        who["expired"] = portal.CreateClient((await tokens.CreateAsync(alice, "old", DateTimeOffset.UtcNow.AddMinutes(-1), readOnly: false)).Token);
        var (revoked, entity) = await tokens.CreateAsync(alice, "revoked", hour, readOnly: false);
        await using (var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync())
        {
            await db.ApiTokens.Where(t => t.Id == entity.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTimeOffset.UtcNow));
        }

        who["revoked"] = portal.CreateClient(revoked);
        who["anonymous"] = portal.CreateClient(token: null);
    }

    [Fact]
    public async Task EveryRoleAndAction_IsAllowedOrDeniedAsDesigned()
    {
        // Nobody without valid credentials gets anything.
        foreach (var client in new[] { "anonymous", "expired", "revoked" })
        {
            await Cell(client, HttpMethod.Get, "/api/v1/exports", null, 401);
            await Cell(client, HttpMethod.Post, "/api/v1/exports", new { cluster = exporter, @namespace = "bar", service = "httpbin" }, 401);
            await Cell(client, HttpMethod.Get, "/api/v1/clusters", null, 401);
            await Cell(client, HttpMethod.Get, "/api/v1/alerts", null, 401);
        }

        // Platform-only actions.
        foreach (var client in new[] { "alice", "alice-ro", "bob", "vera" })
        {
            await Cell(client, HttpMethod.Get, "/api/v1/clusters", null, 200);
            await Cell(client, HttpMethod.Post, "/api/v1/clusters", new { name = "not-allowed", kubeconfig = "x" }, 403);
            await Cell(client, HttpMethod.Delete, $"/api/v1/clusters/{exporter}", null, 403);
            await Cell(client, HttpMethod.Post, "/api/v1/trust/root", new { mode = "generate", keyType = "EcdsaP256" }, 403);
            await Cell(client, HttpMethod.Get, "/api/v1/teams", null, 403);
            await Cell(client, HttpMethod.Post, "/api/v1/teams", new { name = "sneaky" }, 403);
            await Cell(client, HttpMethod.Get, "/api/v1/users", null, 403);
            await Cell(client, HttpMethod.Post, "/api/v1/users", new { userName = "sneaky", password = Password, role = "Admin" }, 403);
            await Cell(client, HttpMethod.Get, "/jobs", null, 302); // a bearer token never reaches a page: sign-in required
            await Cell(client, HttpMethod.Get, "/api/v1/topology", null, 200);
            await Cell(client, HttpMethod.Get, "/api/v1/reachability", null, 200);
            await Cell(client, HttpMethod.Get, "/api/v1/alerts", null, 200);
            await Cell(client, HttpMethod.Get, "/api/v1/alerts/counts", null, 200);
            await Cell(client, HttpMethod.Get, "/api/v1/alerts/channels", null, 403);
            await Cell(client, HttpMethod.Post, "/api/v1/alerts/channels", new { name = "sneaky", kind = "Slack", url = "https://hooks.example.com/x" }, 403);
            await Cell(client, HttpMethod.Post, "/api/v1/alerts/silences", new { cluster = exporter, reason = "hide it", durationMinutes = 60 }, 403);
        }

        // A read-only admin token reads everything an admin reads and changes nothing.
        await Cell("admin-ro", HttpMethod.Get, "/api/v1/teams", null, 200);
        await Cell("admin-ro", HttpMethod.Get, "/api/v1/users", null, 200);
        await Cell("admin-ro", HttpMethod.Post, "/api/v1/teams", new { name = $"ro-{suffix}" }, 403, "read-only");
        await Cell("admin-ro", HttpMethod.Post, "/api/v1/users", new { userName = $"ro-{suffix}", password = Password, role = "Admin" }, 403, "read-only");
        await Cell("admin-ro", HttpMethod.Post, "/api/v1/clusters", new { name = "ro-cluster", kubeconfig = "x" }, 403, "read-only");
        await Cell("admin-ro", HttpMethod.Post, $"/api/v1/clusters/{exporter}/sync", null, 403);
        await Cell("admin", HttpMethod.Get, "/api/v1/teams", null, 200);
        await Cell("admin", HttpMethod.Get, "/api/v1/users", null, 200);
        await Cell("admin", HttpMethod.Post, "/api/v1/clusters", new { name = "Bad_Name", kubeconfig = "x" }, 400); // allowed, then validated

        // Operations (no desired-state change): team members yes, viewers and read-only tokens no.
        await Cell("alice", HttpMethod.Post, $"/api/v1/clusters/{exporter}/sync", null, 202);
        await Cell("vera", HttpMethod.Post, $"/api/v1/clusters/{exporter}/sync", null, 403);
        await Cell("alice-ro", HttpMethod.Post, $"/api/v1/clusters/{exporter}/sync", null, 403);
        await Cell("vera", HttpMethod.Post, "/api/v1/alerts/evaluate", null, 403);
        await Cell("admin-ro", HttpMethod.Post, "/api/v1/alerts/channels", new { name = "ro-hook", kind = "Slack", url = "https://hooks.example.com/x" }, 403);
        await Cell("admin", HttpMethod.Post, "/api/v1/alerts/channels", new { name = "Bad Name", kind = "Slack", url = "https://hooks.example.com/x" }, 400); // allowed, then validated
        await Cell("admin", HttpMethod.Post, "/api/v1/alerts/silences", new { cluster = exporter, durationMinutes = 60 }, 400); // no reason

        // Creating an export from alpha's namespace: only alpha's member (and admins) may; refusals save nothing.
        var body = new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } };
        var before = await CountExportsAsync();
        await Cell("bob", HttpMethod.Post, "/api/v1/exports", body, 403);
        await Cell("vera", HttpMethod.Post, "/api/v1/exports", body, 403);
        await Cell("alice-ro", HttpMethod.Post, "/api/v1/exports", body, 403, "read-only");
        await Cell("admin-ro", HttpMethod.Post, "/api/v1/exports", body, 403, "read-only");
        await Cell("bob", HttpMethod.Post, "/api/v1/exports/preview", body, 403);
        Assert.Equal(before, await CountExportsAsync());

        var created = await who["alice"].PostAsJsonAsync("/api/v1/exports", body);
        var export = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
        var id = (int)export["id"]!;
        try
        {
            Assert.Equal(alpha, (string?)export["team"]);
            Assert.StartsWith($"alice-{suffix} (token ci)", (string?)export["createdBy"]);

            // Seeing it: alpha, admins and viewers; not beta.
            Assert.Contains(id, await ExportIdsAsync("alice"));
            Assert.Contains(id, await ExportIdsAsync("vera"));
            Assert.Contains(id, await ExportIdsAsync("admin"));
            Assert.DoesNotContain(id, await ExportIdsAsync("bob"));
            await Cell("bob", HttpMethod.Get, $"/api/v1/exports/{id}", null, 404);
            await Cell("vera", HttpMethod.Get, $"/api/v1/exports/{id}", null, 200);

            // Changing it.
            var change = new { consumers = new[] { consumer } };
            await Cell("bob", HttpMethod.Put, $"/api/v1/exports/{id}", change, 404);
            await Cell("vera", HttpMethod.Put, $"/api/v1/exports/{id}", change, 403);
            await Cell("alice-ro", HttpMethod.Put, $"/api/v1/exports/{id}", change, 403, "read-only");
            await Cell("bob", HttpMethod.Delete, $"/api/v1/exports/{id}", null, 404);
            await Cell("vera", HttpMethod.Delete, $"/api/v1/exports/{id}", null, 403);
            await Cell("alice-ro", HttpMethod.Delete, $"/api/v1/exports/{id}", null, 403);
            await Cell("admin-ro", HttpMethod.Delete, $"/api/v1/exports/{id}", null, 403);
            await Cell("admin-ro", HttpMethod.Put, $"/api/v1/exports/{id}/team", new { team = beta }, 403);
            await Cell("admin-ro", HttpMethod.Get, $"/api/v1/exports/{id}", null, 200);
            await Cell("alice", HttpMethod.Put, $"/api/v1/exports/{id}", change, 200);

            // Moving it to multi-primary: the rights of changing it (the owner gets past them to the move's own 409 here, since
            // the matrix's simulated pair is not on .global).
            await Cell("bob", HttpMethod.Post, $"/api/v1/exports/{id}/move", null, 404);
            await Cell("vera", HttpMethod.Post, $"/api/v1/exports/{id}/move", null, 403);
            await Cell("alice-ro", HttpMethod.Post, $"/api/v1/exports/{id}/move", null, 403, "read-only");
            await Cell("bob", HttpMethod.Delete, $"/api/v1/exports/{id}/move", null, 404);
            await Cell("vera", HttpMethod.Delete, $"/api/v1/exports/{id}/move", null, 403);
            await Cell("alice", HttpMethod.Delete, $"/api/v1/exports/{id}/move", null, 409);

            // Probing it now: the same 404 as reading it for another team (the id must not confirm it exists).
            await Cell("bob", HttpMethod.Post, $"/api/v1/exports/{id}/probe", null, 404);
            await Cell("bob", HttpMethod.Post, "/api/v1/exports/999999/probe", null, 404);
            await Cell("alice-ro", HttpMethod.Post, $"/api/v1/exports/{id}/probe", null, 403);
            await Cell("alice", HttpMethod.Post, $"/api/v1/exports/{id}/probe", null, 202);

            // Moving it to beta: admins only; then it is beta's and no longer alpha's.
            await Cell("alice", HttpMethod.Put, $"/api/v1/exports/{id}/team", new { team = beta }, 403);
            await Cell("vera", HttpMethod.Put, $"/api/v1/exports/{id}/team", new { team = beta }, 403);
            await Cell("admin", HttpMethod.Put, $"/api/v1/exports/{id}/team", new { team = "no-such-team" }, 400);
            await Cell("admin", HttpMethod.Put, $"/api/v1/exports/{id}/team", new { team = beta }, 200);
            await Cell("alice", HttpMethod.Get, $"/api/v1/exports/{id}", null, 404);
            await Cell("alice", HttpMethod.Delete, $"/api/v1/exports/{id}", null, 404);
            await Cell("bob", HttpMethod.Get, $"/api/v1/exports/{id}", null, 200);
            await Cell("bob", HttpMethod.Delete, $"/api/v1/exports/{id}", null, 204);
            Assert.Empty(failures);
        }
        finally
        {
            await admin.DeleteAsync($"/api/v1/exports/{id}");
        }
    }

    [Fact]
    public async Task TeamMemberInTwoTeamsGrantedTheSameNamespace_MustChooseTheTeam()
    {
        var gamma = $"gamma-{suffix}";
        await CreateTeamAsync(gamma, exporter, "bar");
        var carolId = await CreateUserAsync($"carol-{suffix}", "TeamMember", alpha, gamma);
        using var scope = portal.Services.CreateScope();
        var carol = portal.CreateClient((await scope.ServiceProvider.GetRequiredService<ApiTokenStore>().CreateAsync(carolId, "ci", DateTimeOffset.UtcNow.AddHours(1), false)).Token);

        var body = new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer } };
        var ambiguous = await carol.PostAsJsonAsync("/api/v1/exports", body);
        Assert.Equal(HttpStatusCode.BadRequest, ambiguous.StatusCode);
        Assert.Contains("choose the owning team", (await JsonAsync(ambiguous))["errors"]!["team"]![0]!.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, (await carol.PostAsJsonAsync("/api/v1/exports", new { body.cluster, body.@namespace, body.service, body.consumers, team = beta })).StatusCode);

        var created = await carol.PostAsJsonAsync("/api/v1/exports", new { body.cluster, body.@namespace, body.service, body.consumers, team = gamma });
        var export = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
        Assert.Equal(gamma, (string?)export["team"]);
        Assert.Equal(HttpStatusCode.NoContent, (await carol.DeleteAsync($"/api/v1/exports/{export["id"]}")).StatusCode);
    }

    [Fact]
    public async Task UsersApi_EnforcesPasswordRules_AndLockingStopsTheUsersTokens()
    {
        var weak = await admin.PostAsJsonAsync("/api/v1/users", new { userName = $"weak-{suffix}", password = "short", role = "Viewer" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("at least 12 characters", (await JsonAsync(weak))["errors"]!["password"]![0]!.ToString());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/users", new { userName = $"alice-{suffix}", password = Password, role = "Viewer" })).StatusCode);

        var daveId = await CreateUserAsync($"dave-{suffix}", "Viewer", null);
        using var scope = portal.Services.CreateScope();
        var dave = portal.CreateClient((await scope.ServiceProvider.GetRequiredService<ApiTokenStore>().CreateAsync(daveId, "ci", DateTimeOffset.UtcNow.AddHours(1), false)).Token);
        Assert.Equal(HttpStatusCode.OK, (await dave.GetAsync("/api/v1/clusters")).StatusCode);

        var locked = await JsonAsync(await admin.PostAsync($"/api/v1/users/{daveId}/lock", null));
        Assert.True((bool)locked["lockedOut"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await dave.GetAsync("/api/v1/clusters")).StatusCode);
        await admin.PostAsync($"/api/v1/users/{daveId}/unlock", null);
        Assert.Equal(HttpStatusCode.OK, (await dave.GetAsync("/api/v1/clusters")).StatusCode);

        // Role change takes effect on the next request of a token (roles are read per request).
        Assert.Equal(HttpStatusCode.Forbidden, (await dave.PostAsync($"/api/v1/clusters/{exporter}/sync", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/users/{daveId}/role", new { role = "TeamMember" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await dave.PostAsync($"/api/v1/clusters/{exporter}/sync", null)).StatusCode);

        var reset = await admin.PostAsJsonAsync($"/api/v1/users/{daveId}/password", new { password = "alllowercase-but-long" });
        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/users/{daveId}/password", new { password = "Another-Password-987" })).StatusCode);

        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.Where(a => a.Target == $"dave-{suffix}").Select(a => a.Action).ToListAsync();
        Assert.Equal(["user.created", "user.locked", "user.unlocked", "user.role-changed", "user.password-reset"], audited);
        Assert.DoesNotContain(await db.AuditEntries.Select(a => (a.Summary ?? "") + (a.Before ?? "") + (a.After ?? "")).ToListAsync(), t => t.Contains("Another-Password-987"));
    }

    [Fact]
    public async Task OpenApi_DescribesTheTeamUserAndOwnershipEndpoints()
    {
        var paths = (await JsonAsync(await admin.GetAsync("/openapi/v1.json")))["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/teams", "/api/v1/teams/{id}/grants", "/api/v1/teams/{id}/members", "/api/v1/users", "/api/v1/users/{id}/role",
                     "/api/v1/users/{id}/password", "/api/v1/users/{id}/lock", "/api/v1/exports/{id}/team" })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is not in the OpenAPI document");
        }
    }

    public async Task DisposeAsync()
    {
        await admin.DeleteAsync($"/api/v1/clusters/{exporter}");
        await admin.DeleteAsync($"/api/v1/clusters/{consumer}");
    }

    private async Task Cell(string client, HttpMethod method, string path, object? body, int expected, string? detail = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await who[client].SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != expected || (detail is not null && !text.Contains(detail, StringComparison.Ordinal)))
        {
            failures.Add($"{client} {method} {path}: expected {expected}{(detail is null ? "" : $" with '{detail}'")}, got {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
        }
    }

    private async Task<int> CountExportsAsync() => (await JsonAsync(await admin.GetAsync("/api/v1/exports"))).AsArray().Count;

    private async Task<List<int>> ExportIdsAsync(string client) =>
        [.. (await JsonAsync(await who[client].GetAsync("/api/v1/exports"))).AsArray().Select(e => (int)e!["id"]!)];

    private async Task<int> CreateTeamAsync(string name, string cluster, string ns)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/teams", new { name, description = "matrix test" });
        var team = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, team.ToJsonString());
        var id = (int)team["id"]!;
        var grant = await admin.PostAsJsonAsync($"/api/v1/teams/{id}/grants", new { cluster, @namespace = ns });
        Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync());
        return id;
    }

    private async Task<string> CreateUserAsync(string name, string role, params string[]? teams)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { userName = name, password = Password, role, teams = teams?.Where(t => t is not null).ToArray() });
        var user = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, user.ToJsonString());
        return (string)user["id"]!;
    }
}
