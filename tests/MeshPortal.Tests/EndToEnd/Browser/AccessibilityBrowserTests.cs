using System.Net;
using Deque.AxeCore.Playwright;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// axe-core over every page (signed in as admin, with a cluster pair and an export so pages have content): no serious or critical
/// violation; every page has a main landmark and one h1; unknown URLs get the app's not-found page with a 404.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class AccessibilityBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Every_page_passes_axe_without_serious_or_critical_violations()
    {
        using var api = portal.CreateClient();
        await using var scenario = await ProbeScenario.StartAsync(portal, api, "ui-a11y");
        await scenario.ProbeUntilAsync(ProbeStatus.Ok);
        await using var session = await browser.OpenAsync(portal.BaseAddress, 1440, 900);
        var page = session.Page;
        var failures = new List<string>();
        await AxeAsync(page, "/login", interactive: false, failures);
        await session.SignInAsync();

        // Unknown URLs get the app's not-found page (with its navigation) and a 404, not the browser's bare error.
        var missing = await page.GotoAsync("/no-such-page/anywhere");
        Assert.Equal(404, missing!.Status);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        await Assertions.Expect(session.Login.SignedInUser).ToHaveTextAsync(PortalFixture.AdminUser);

        string[] pages =
        [
            "/", "/clusters", "/clusters/new", $"/clusters/{scenario.Consumer}", $"/clusters/{scenario.Consumer}/edit", "/exports", "/exports/new",
            $"/exports/{scenario.ExportId}/edit", "/trust", "/reachability", "/topology", "/alerts", "/alerts/channels", "/background-jobs", "/audit",
            "/screen-tokens", "/admin/users", "/admin/teams", "/tokens", "/settings", "/not-found", "/screen",
        ];
        foreach (var path in pages)
        {
            await AxeAsync(page, path, interactive: true, failures);
        }

        Assert.True(failures.Count == 0, "accessibility violations:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task The_api_keeps_problem_details_for_unknown_urls()
    {
        var response = await portal.CreateClient().GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task AxeAsync(IPage page, string path, bool interactive, List<string> failures)
    {
        await page.GotoAsync(path);
        if (interactive)
        {
            await MudSelectHelper.WaitInteractiveAsync(page);
        }

        // Let the page's first data load finish (progress bars gone).
        await Assertions.Expect(page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        var h1 = await page.Locator("h1").CountAsync();
        if (h1 != 1)
        {
            failures.Add($"{path}: {h1} h1 elements (want 1)");
        }

        if (await page.Locator("main, [role=main]").CountAsync() != 1)
        {
            failures.Add($"{path}: no single main landmark");
        }

        var result = await page.RunAxe();
        foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            failures.Add($"{path}: {v.Impact} {v.Id} — {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}");
        }

        var name = "90-a11y" + path.Replace('/', '-').TrimEnd('-');
        await browser.ShotAsync(page, name, fullPage: false);
    }
}
