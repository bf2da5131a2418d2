using System.Net;
using System.Net.Http.Json;
using MeshPortal.Tests.Exports;
using MeshPortal.Tests.Support;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>
/// Teams in Chromium: the admin's Users, Teams and Exports pages (names with markup render as text), then a team member
/// who sees only their team's exports, exports httpbin from their namespace and watches it become Synced.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class TeamBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string MemberPassword = "Team-Member-Password-1";

    [BrowserFact]
    public async Task TeamMember_SeesOnlyTheirExports_AndExportsFromTheirNamespace()
    {
        var sfx = Guid.NewGuid().ToString("N")[..5];
        using var api = portal.CreateClient();
        var exporter = await ExportPortalHelpers.RegisterAsync(api, portal, "cluster-2", "tb2");
        var consumer = await ExportPortalHelpers.RegisterAsync(api, portal, "cluster-1", "tb1");
        var web = $"web-{sfx}";
        var hostile = $"<script>alert('x')</script><b>ops</b>-{sfx}";
        var member = $"tm-{sfx}";
        var ids = new List<string>();
        try
        {
            var webId = await TeamAsync(api, web, exporter, "bar");
            var hostileId = await TeamAsync(api, hostile, consumer, "foo");
            var created = await api.PostAsJsonAsync("/api/v1/users", new { userName = member, password = MemberPassword, role = "TeamMember", teams = new[] { web } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var other = await ExportPortalHelpers.JsonAsync(await api.PostAsJsonAsync("/api/v1/exports",
                new { cluster = consumer, @namespace = "foo", service = "sleep", consumers = new[] { exporter }, team = hostile }));
            ids.Add(other["id"]!.ToString());
            Assert.Equal(hostile, (string?)other["team"]);

            var dialogs = 0;
            await using (var adminContext = await NewContextAsync())
            {
                var page = await adminContext.NewPageAsync();
                page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
                await SignInAsync(page, PortalFixture.AdminUser, PortalFixture.AdminPassword);
                await Assertions.Expect(page.Locator("[data-testid=nav-users]")).ToBeVisibleAsync();

                await page.GotoAsync("/admin/teams");
                await MudSelectHelper.WaitInteractiveAsync(page);
                await Assertions.Expect(page.Locator("[data-testid=team-name]", new() { HasText = hostile })).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator("[data-testid=team-card]", new() { HasText = web }).Locator("[data-testid=team-grant]")).ToContainTextAsync($"bar on {exporter}");
                await Shot(page, "40-teams-admin");

                // Deleting a team asks first; Cancel keeps it.
                await page.Locator("[data-testid=team-card]", new() { HasText = web }).Locator("[data-testid=delete-team]").ClickAsync();
                await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync($"Delete team {web}?");
                await page.Locator(".mud-dialog button", new() { HasText = "Cancel" }).ClickAsync();
                await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
                await Assertions.Expect(page.Locator("[data-testid=team-name]", new() { HasText = web })).ToHaveCountAsync(1);

                await page.GotoAsync("/admin/users");
                await MudSelectHelper.WaitInteractiveAsync(page);
                var row = page.Locator("[data-testid=users-table] tr", new() { HasText = member });
                var inputs = await row.EvaluateAsync<string>("r => [...r.querySelectorAll('input')].map(i => i.value).join('|')");
                Assert.Contains(web, inputs);
                Assert.Contains("TeamMember", inputs);
                await Assertions.Expect(row.Locator("[data-testid=user-status]")).ToHaveTextAsync("Active");

                // The admin's "Move to another team" menu opens from the keyboard (it never opened: a span inside a tooltip).
                await page.GotoAsync("/exports");
                await MudSelectHelper.WaitInteractiveAsync(page);
                var move = page.Locator("[data-testid=export-table] tr", new() { HasText = "sleep.foo.global" }).Locator("[data-testid=move-team] button").First;
                await Assertions.Expect(move).ToContainTextAsync(hostile);
                await move.FocusAsync();
                await page.Keyboard.PressAsync("Enter");
                await Assertions.Expect(page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = web })).ToBeVisibleAsync();
                await Shot(page, "41b-exports-move-team-menu");
                await page.Keyboard.PressAsync("Escape");
                await Assertions.Expect(page.Locator(".mud-popover-open .mud-menu-item")).ToHaveCountAsync(0);
                await Shot(page, "41-users-admin");

                await page.GotoAsync("/exports");
                await MudSelectHelper.WaitInteractiveAsync(page);
                await Assertions.Expect(page.Locator("[data-testid=export-table] tr", new() { HasText = "sleep.foo.global" })).ToContainTextAsync(hostile);
                await Shot(page, "42-exports-admin");
            }

            await using (var memberContext = await NewContextAsync())
            {
                var page = await memberContext.NewPageAsync();
                page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
                var consoleErrors = new List<string>();
                page.Console += (_, msg) => { if (msg.Type == "error") consoleErrors.Add(msg.Text); };
                await SignInAsync(page, member, MemberPassword);
                await Assertions.Expect(page.Locator("[data-testid=nav-users]")).ToHaveCountAsync(0);
                await Assertions.Expect(page.Locator("[data-testid=nav] a[href='/background-jobs']")).ToHaveCountAsync(0);

                await page.GotoAsync("/exports");
                await MudSelectHelper.WaitInteractiveAsync(page);
                await Assertions.Expect(page.GetByText("sleep.foo.global")).ToHaveCountAsync(0);
                await Shot(page, "43-exports-member-before");

                // The clusters' first checks publish changes that re-render open pickers; let them finish first.
                foreach (var cluster in new[] { exporter, consumer })
                {
                    await Eventually.ReturnsAsync(async () => await ExportPortalHelpers.JsonAsync(await api.GetAsync($"/api/v1/clusters/{cluster}")),
                        c => !string.IsNullOrEmpty((string?)c["gatewayAddress"]), $"{cluster} to be checked", TimeSpan.FromSeconds(60));
                }

                await page.GotoAsync("/exports/new");
                await MudSelectHelper.WaitInteractiveAsync(page);
                await MudSelectHelper.PickAsync(page, "field-cluster", exporter);
                await MudSelectHelper.PickAsync(page, "field-namespace", "bar");
                await MudSelectHelper.PickAsync(page, "field-service", "httpbin");
                await Assertions.Expect(page.Locator("[data-testid=field-team]").First).ToBeVisibleAsync();
                await page.GetByText("Only these clusters").ClickAsync();
                await page.Locator(".mud-checkbox", new() { HasText = consumer }).ClickAsync();
                await Shot(page, "44-export-form-member");
                await page.ClickAsync("[data-testid=save-export]");
                await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/exports$"));

                var mine = page.Locator("[data-testid=export-table] tr", new() { HasText = "httpbin.bar.global" });
                await Assertions.Expect(mine.Locator("[data-testid=export-team]")).ToHaveTextAsync(web);
                await Eventually.ReturnsAsync(async () =>
                {
                    await page.ClickAsync("[data-testid=refresh-exports]");
                    return await mine.Locator("[data-testid=consumer-chip]").InnerTextAsync();
                }, t => t.Contains("Synced", StringComparison.Ordinal), "the team member's export to show Synced");
                await Assertions.Expect(page.GetByText("sleep.foo.global")).ToHaveCountAsync(0);
                await Shot(page, "45-exports-member");

                // Another team's export opened by URL: the heading does not name its host (it did, above "does not exist").
                await page.GotoAsync($"/exports/{other["id"]}/edit");
                await Assertions.Expect(page.Locator("[data-testid=export-form-title]")).ToHaveTextAsync("Edit export");
                await Assertions.Expect(page.GetByText("sleep.foo.global")).ToHaveCountAsync(0);

                // The namespace picker offered only the team's namespace; the admin pages are refused on the server.
                await page.GotoAsync("/admin/users");
                await Assertions.Expect(page.Locator("[data-testid=users-table]")).ToHaveCountAsync(0);
                await Shot(page, "46-users-member-refused");
                await page.GotoAsync("/admin/teams");
                await Assertions.Expect(page.Locator("[data-testid=create-team]")).ToHaveCountAsync(0);
                Assert.Empty(consoleErrors);
            }

            Assert.Equal(0, dialogs);
            foreach (var e in (await ExportPortalHelpers.JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray())
            {
                if ((string?)e!["cluster"] == exporter)
                {
                    Assert.Equal(web, (string?)e["team"]);
                    Assert.StartsWith(member, (string?)e["createdBy"]);
                    ids.Add(e["id"]!.ToString());
                }
            }

            _ = (webId, hostileId);
        }
        finally
        {
            foreach (var id in ids)
            {
                await api.DeleteAsync($"/api/v1/exports/{id}");
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
        }
    }

    private static async Task<int> TeamAsync(HttpClient api, string name, string cluster, string ns)
    {
        var team = await ExportPortalHelpers.JsonAsync(await api.PostAsJsonAsync("/api/v1/teams", new { name }));
        var id = (int)team["id"]!;
        Assert.True((await api.PostAsJsonAsync($"/api/v1/teams/{id}/grants", new { cluster, @namespace = ns })).IsSuccessStatusCode);
        return id;
    }

    private Task<IBrowserContext> NewContextAsync() => browser.Browser!.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = portal.BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
    });

    private static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(user);
    }

    private Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, name + ".png"), FullPage = true });
}
