using System.Net;
using System.Net.Http.Json;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// Teams in Chromium: the admin's Users, Teams and Exports pages (names with markup render as text), then a team member
/// who sees only their team's exports, exports httpbin from their namespace and watches it become Synced.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class TeamBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string MemberPassword = "Team-Member-Password-1";

    [BrowserFact]
    public async Task TeamMember_SeesOnlyTheirExports_AndExportsFromTheirNamespace()
    {
        var sfx = Guid.NewGuid().ToString("N")[..5];
        using var api = portal.CreateClient();
        var exporter = await PortalApi.RegisterAsync(api, portal, "cluster-2", "tb2");
        var consumer = await PortalApi.RegisterAsync(api, portal, "cluster-1", "tb1");
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
            var other = await PortalApi.JsonAsync(await api.PostAsJsonAsync("/api/v1/exports",
                new { cluster = consumer, @namespace = "foo", service = "sleep", consumers = new[] { exporter }, team = hostile }));
            ids.Add(other["id"]!.ToString());
            Assert.Equal(hostile, (string?)other["team"]);

            var dialogs = 0;
            await using (var admin = await browser.OpenAsync(portal.BaseAddress))
            {
                var page = admin.Page;
                page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
                await admin.SignInAsync();
                await Assertions.Expect(page.Locator("[data-testid=nav-users]")).ToBeVisibleAsync();

                await page.GotoAsync("/admin/teams");
                await admin.WaitInteractiveAsync();
                await Assertions.Expect(page.Locator("[data-testid=team-name]", new() { HasText = hostile })).ToHaveCountAsync(1);
                await Assertions.Expect(page.Locator("[data-testid=team-card]", new() { HasText = web }).Locator("[data-testid=team-grant]")).ToContainTextAsync($"bar on {exporter}");
                await admin.ShotAsync("40-teams-admin");

                // Deleting a team asks first; Cancel keeps it.
                await page.Locator("[data-testid=team-card]", new() { HasText = web }).Locator("[data-testid=delete-team]").ClickAsync();
                await Assertions.Expect(admin.Users.Dialog).ToContainTextAsync($"Delete team {web}?");
                await admin.Users.DialogButton("Cancel").ClickAsync();
                await Assertions.Expect(admin.Users.Dialog).ToHaveCountAsync(0);
                await Assertions.Expect(page.Locator("[data-testid=team-name]", new() { HasText = web })).ToHaveCountAsync(1);

                await admin.Users.GotoAsync();
                var row = admin.Users.Row(member);
                var inputs = await row.EvaluateAsync<string>("r => [...r.querySelectorAll('input')].map(i => i.value).join('|')");
                Assert.Contains(web, inputs);
                Assert.Contains("TeamMember", inputs);
                await Assertions.Expect(UsersPage.Status(row)).ToHaveTextAsync("Active");
                await admin.ShotAsync("41-users-admin");

                // The admin's "Move to another team" menu opens from the keyboard (it never opened: a span inside a tooltip).
                await admin.Exports.GotoAsync();
                var move = admin.Exports.Row("sleep.foo.global").Locator("[data-testid=move-team] button").First;
                await Assertions.Expect(move).ToContainTextAsync(hostile);
                await move.FocusAsync();
                await page.Keyboard.PressAsync("Enter");
                await Assertions.Expect(page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = web })).ToBeVisibleAsync();
                await admin.ShotAsync("41b-exports-move-team-menu");
                await page.Keyboard.PressAsync("Escape");
                await Assertions.Expect(page.Locator(".mud-popover-open .mud-menu-item")).ToHaveCountAsync(0);

                await admin.Exports.GotoAsync();
                await Assertions.Expect(admin.Exports.Row("sleep.foo.global")).ToContainTextAsync(hostile);
                await admin.ShotAsync("42-exports-admin");
            }

            await using (var session = await browser.OpenAsync(portal.BaseAddress))
            {
                var page = session.Page;
                page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
                await session.SignInAsync(member, MemberPassword);
                await Assertions.Expect(page.Locator("[data-testid=nav-users]")).ToHaveCountAsync(0);
                await Assertions.Expect(page.Locator("[data-testid=nav] a[href='/background-jobs']")).ToHaveCountAsync(0);

                await session.Exports.GotoAsync();
                await Assertions.Expect(page.GetByText("sleep.foo.global")).ToHaveCountAsync(0);
                await session.ShotAsync("43-exports-member-before");

                // The clusters' first checks publish changes that re-render open pickers; let them finish first.
                foreach (var cluster in new[] { exporter, consumer })
                {
                    await Eventually.ReturnsAsync(async () => await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/clusters/{cluster}")),
                        c => !string.IsNullOrEmpty((string?)c["gatewayAddress"]), $"{cluster} to be checked", TimeSpan.FromSeconds(60));
                }

                var form = session.ExportForm;
                await form.GotoNewAsync();
                await form.PickServiceAsync(exporter, "bar", "httpbin");
                await Assertions.Expect(form.TestId("field-team").First).ToBeVisibleAsync();
                await form.OnlyTheseConsumersAsync(consumer);
                await session.ShotAsync("44-export-form-member");
                await form.SaveAsync();
                var mine = session.Exports.Row("httpbin.bar.global");
                await Assertions.Expect(mine.Locator("[data-testid=export-team]")).ToHaveTextAsync(web);
                await session.Exports.WaitSyncedAsync(mine, "the team member's export to show Synced");
                await Assertions.Expect(page.GetByText("sleep.foo.global")).ToHaveCountAsync(0);
                await session.ShotAsync("45-exports-member");

                // Another team's export opened by URL: the heading does not name its host (it did, above "does not exist").
                await page.GotoAsync($"/exports/{other["id"]}/edit");
                await Assertions.Expect(form.Title).ToHaveTextAsync("Edit export");
                await Assertions.Expect(page.GetByText("sleep.foo.global")).ToHaveCountAsync(0);

                // The namespace picker offered only the team's namespace; the admin pages are refused on the server.
                await page.GotoAsync("/admin/users");
                await Assertions.Expect(session.Users.Table).ToHaveCountAsync(0);
                await session.ShotAsync("46-users-member-refused");
                await page.GotoAsync("/admin/teams");
                await Assertions.Expect(page.Locator("[data-testid=create-team]")).ToHaveCountAsync(0);
                Assert.Empty(session.ConsoleErrors);
            }

            Assert.Equal(0, dialogs);
            foreach (var e in (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/exports"))).AsArray())
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
        var team = await PortalApi.JsonAsync(await api.PostAsJsonAsync("/api/v1/teams", new { name }));
        var id = (int)team["id"]!;
        Assert.True((await api.PostAsJsonAsync($"/api/v1/teams/{id}/grants", new { cluster, @namespace = ns })).IsSuccessStatusCode);
        return id;
    }
}
