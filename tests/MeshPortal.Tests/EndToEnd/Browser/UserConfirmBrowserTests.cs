using System.Net;
using System.Net.Http.Json;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// Issue 16: the Users page's inline role and team selects ask before saving; Cancel leaves the stored value and the select
/// as they were, and the confirmed change is stored.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class UserConfirmBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Inline_role_and_team_changes_ask_first_and_cancel_changes_nothing()
    {
        var sfx = Guid.NewGuid().ToString("N")[..5];
        using var api = portal.CreateClient();
        var (alpha, beta, user) = ($"alpha-{sfx}", $"beta-{sfx}", $"uc-{sfx}");
        var teamIds = new List<int>();
        foreach (var team in new[] { alpha, beta })
        {
            teamIds.Add((int)(await PortalApi.JsonAsync(await api.PostAsJsonAsync("/api/v1/teams", new { name = team })))["id"]!);
        }

        var created = await api.PostAsJsonAsync("/api/v1/users", new { userName = user, password = "User-Confirm-Password-1", role = "Viewer", teams = new[] { alpha } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await using var session = await browser.SignedInAsync(portal.BaseAddress, width: 1440, height: 900);
        var page = session.Page;
        var users = session.Users;
        await users.GotoAsync();
        var row = users.Row(user);
        var role = UsersPage.Role(row);
        var teams = UsersPage.Teams(row);
        var dialog = users.Dialog;

        // Role: pick, Cancel → stored and shown value unchanged; pick, confirm → stored.
        await PickAsync(page, role, "Team member");
        await Assertions.Expect(dialog).ToContainTextAsync($"Make {user} a team member?");
        await session.ShotAsync("47-users-role-confirm", fullPage: false);
        await dialog.Locator("button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await ValueIsAsync(role, "Viewer");
        Assert.Equal(("Viewer", alpha), await StoredAsync(api, user));

        await PickAsync(page, role, "Team member");
        await dialog.Locator("button", new() { HasText = "Make team member" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Eventually.ReturnsAsync(() => StoredAsync(api, user), s => s.Role == "TeamMember", "the confirmed role to be stored");
        await ValueIsAsync(role, "TeamMember");

        // Teams: the picks are asked about once, when the list closes.
        await ToggleTeamAsync(page, teams, beta);
        await Assertions.Expect(dialog).ToContainTextAsync($"adds {beta}");
        await session.ShotAsync("47b-users-teams-confirm", fullPage: false);
        await dialog.Locator("button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await ValueIsAsync(teams, alpha);
        Assert.Equal(("TeamMember", alpha), await StoredAsync(api, user));

        await ToggleTeamAsync(page, teams, beta);
        await dialog.Locator("button", new() { HasText = "Save teams" }).ClickAsync();
        await Eventually.ReturnsAsync(() => StoredAsync(api, user), s => s.Teams == $"{alpha},{beta}", "the confirmed teams to be stored");

        // Lock (sign-in and API tokens stop): asks too; Cancel leaves the account active.
        await UsersPage.Lock(row).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync($"Lock {user}?");
        await Assertions.Expect(dialog).ToContainTextAsync("API token");
        await dialog.Locator("button", new() { HasText = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(UsersPage.Status(row)).ToHaveTextAsync("Active");
        await UsersPage.Lock(row).ClickAsync();
        await dialog.Locator("button", new() { HasText = "Lock" }).Last.ClickAsync();
        await Assertions.Expect(UsersPage.Status(row)).ToHaveTextAsync("Locked");

        // The admin's own row offers no Lock (the server refuses it; the button was there anyway).
        var mine = users.ExactRow(PortalFixture.AdminUser);
        await Assertions.Expect(mine).ToHaveCountAsync(1);
        await Assertions.Expect(UsersPage.Status(mine)).ToHaveTextAsync("Active");
        await Assertions.Expect(UsersPage.Lock(mine)).ToHaveCountAsync(0);

        foreach (var id in teamIds)
        {
            await api.DeleteAsync($"/api/v1/teams/{id}");
        }
    }

    private static async Task PickAsync(IPage page, ILocator select, string item)
    {
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = item }).First.ClickAsync();
    }

    private static async Task ToggleTeamAsync(IPage page, ILocator select, string team)
    {
        await select.ClickAsync();
        var option = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = team }).First;
        await option.ClickAsync();
        await Eventually.ReturnsAsync(() => ValueAsync(select), v => v.Contains(team, StringComparison.Ordinal), $"{team} to be picked");
        await page.Keyboard.PressAsync("Escape");
    }

    /// <summary>The value a MudSelect holds (its hidden input sits beside the element carrying the test id).</summary>
    private static Task<string> ValueAsync(ILocator select) =>
        select.EvaluateAsync<string>("e => ((e.closest('.mud-select') ?? e.closest('.mud-input-control') ?? e).querySelector('input')?.value) ?? ''");

    private static Task ValueIsAsync(ILocator select, string value) =>
        Eventually.ReturnsAsync(() => ValueAsync(select), v => v == value, $"the select to show {value}");

    private static async Task<(string? Role, string Teams)> StoredAsync(HttpClient api, string user)
    {
        foreach (var u in (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/users"))).AsArray())
        {
            if ((string?)u!["userName"] == user)
            {
                return ((string?)u["role"], string.Join(",", u["teams"]!.AsArray().Select(t => (string?)t).Order(StringComparer.Ordinal)));
            }
        }

        throw new InvalidOperationException($"user {user} not found");
    }
}
