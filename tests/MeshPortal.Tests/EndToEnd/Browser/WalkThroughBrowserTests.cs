using System.Text.Json;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Tests.Support;
using MeshPortal.Tests.Support.Browser;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// Issue 16's walk-through, automated: every page (except the Exports list, Reachability and Audit, which have their own
/// tests) at 1440×900, 1920×1080 and 390×844, signed in as admin, with the exporter's gateway down. On each: nothing
/// scrolls sideways, no word is split across lines, no raw placeholder ("None", "null", "?", "NaN", an exception type)
/// is visible, and the page settles (no progress bar left); the exporter's own page names its gateway as the cause.
/// Screenshots 95-walk-*.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class WalkThroughBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string RawTextScript =
        """
        root => {
            const text = root.innerText;
            const found = [];
            for (const word of text.split(/\s+/)) {
                if (/^(None|null|undefined|NaN|\?)$/.test(word)) found.push(word);
            }
            for (const m of text.matchAll(/\b(System\.[A-Za-z.]+|[A-Za-z]+Exception)\b/g)) found.push(m[0]);
            return found;
        }
        """;

    [BrowserFact]
    public async Task Every_other_page_is_laid_out_at_three_sizes_with_a_gateway_down()
    {
        using var api = portal.CreateClient();
        await using var scenario = await ProbeScenario.StartAsync(portal, api, "ui-walk");
        await scenario.ProbeUntilAsync(ProbeStatus.Ok);

        // A screen token, so its table has a row to lay out whatever ran before (the full suite found its dates split at 390 px).
        var screens = portal.Services.GetRequiredService<MeshPortal.Core.Features.Tokens.ScreenTokenStore>();
        await screens.CreateAsync("walk " + Guid.NewGuid().ToString("N")[..4], DateTimeOffset.UtcNow.AddDays(30), new MeshPortal.Core.Platform.Audit.AuditContext("admin"), CancellationToken.None);
        var exporterSim = scenario.Mesh["cluster-2"];
        var failures = new List<string>();
        try
        {
            exporterSim.Faults.GatewayDown = true;
            exporterSim.Faults.EastWestGatewayDown = true;
            await scenario.ProbeUntilAsync(ProbeStatus.Connect);

            string[] pages =
            [
                "/", "/clusters", "/clusters/new", $"/clusters/{scenario.Exporter}", $"/clusters/{scenario.Consumer}/edit", "/exports/new",
                $"/exports/{scenario.ExportId}/edit", "/trust", "/topology", "/alerts", "/alerts/channels", "/background-jobs",
                "/screen-tokens", "/admin/users", "/admin/teams", "/tokens", "/settings", "/no-such-page", "/screen",
            ];
            foreach (var (width, height) in new[] { (1440, 900), (1920, 1080), (390, 844) })
            {
                await using var session = await browser.OpenAsync(portal.BaseAddress, width: width, height: height);
                var page = session.Page;
                var intended = new HashSet<int>(); // indexes of console errors that are meant to be there
                await page.GotoAsync("/login");
                await CheckAsync(page, "/login", "/login", width, interactive: false, failures);
                await session.SignInAsync();
                foreach (var path in pages)
                {
                    var errorsBefore = session.ConsoleErrors.Count;
                    await page.GotoAsync(path);
                    var label = path.Replace(scenario.Exporter, "exporter", StringComparison.Ordinal).Replace(scenario.Consumer, "consumer", StringComparison.Ordinal);
                    await CheckAsync(page, path, label, width, interactive: true, failures);
                    if (path == "/screen" && width < 700)
                    {
                        // On a phone the wall screen is one column of readable tiles (they were 110 px slivers with clipped names).
                        var tileWidth = await page.Locator("[data-testid=screen-tile]").First.EvaluateAsync<double>("e => e.getBoundingClientRect().width");
                        var nameSize = await page.Locator(".mp-tile-name").First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
                        Assert.True(tileWidth >= 0.85 * width && nameSize <= 32, $"phone wall screen: tile {tileWidth:0} px wide, name {nameSize:0} px");
                    }

                    if (path == $"/clusters/{scenario.Exporter}")
                    {
                        // The culprit's own page names the cause the Overview links it for (it showed only a green "Connected").
                        await Assertions.Expect(page.Locator("[data-testid=cluster-problem][data-kind=GatewayUnreachable]"))
                            .ToContainTextAsync($"{scenario.Exporter}: gateway unreachable");
                    }
                    if (path == "/clusters")
                    {
                        // The list names it too: the culprit's row showed a green "Connected" and nothing else.
                        await Assertions.Expect(page.Locator("[data-testid=cluster-row-problem][data-kind=GatewayUnreachable]"))
                            .ToContainTextAsync($"{scenario.Exporter}: gateway unreachable");
                    }
                    if (path == "/no-such-page")
                    {
                        // The browser logs the 404 status of the not-found page itself; that one is intended.
                        var errors = session.ConsoleErrors;
                        intended.UnionWith(Enumerable.Range(errorsBefore, errors.Count - errorsBefore).Where(i => errors[i].Contains("status of 404", StringComparison.Ordinal)));
                    }
                }

                failures.AddRange(session.ConsoleErrors.Where((_, i) => !intended.Contains(i)).Select(e => $"{width}px: console error {e}"));
            }
        }
        finally
        {
            exporterSim.Faults.GatewayDown = false;
            exporterSim.Faults.EastWestGatewayDown = false;
        }

        Assert.True(failures.Count == 0, "walk-through found:\n" + string.Join("\n", failures));
    }

    private async Task CheckAsync(IPage page, string path, string label, int width, bool interactive, List<string> failures)
    {
        if (interactive)
        {
            await MudSelectHelper.WaitInteractiveAsync(page);
        }

        await Assertions.Expect(page.Locator(".mud-progress-linear-indeterminate")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        var where = $"{width}px {path}";
        var overflow = await LayoutProbe.HorizontalOverflowAsync(page);
        if (overflow > 0)
        {
            failures.Add($"{where}: scrolls sideways by {overflow} px ({await WidestAsync(page)})");
        }

        var root = page.Locator("main, [role=main]").First;
        if (await root.CountAsync() == 0)
        {
            root = page.Locator("body");
        }

        var broken = (await LayoutProbe.BrokenWordsAsync(root)).Where(w => !Known(path, w)).ToList();
        if (broken.Count > 0)
        {
            failures.Add($"{where}: words split across lines: {string.Join(" | ", broken.Distinct().Take(8))}");
        }

        var raw = (await root.EvaluateAsync<JsonElement>(RawTextScript)).EnumerateArray().Select(e => e.GetString()).Distinct().ToList();
        if (raw.Count > 0)
        {
            failures.Add($"{where}: raw text visible: {string.Join(", ", raw)}");
        }

        var name = "95-walk-" + width + label.Replace('/', '-').TrimEnd('-');
        await browser.ShotAsync(page, name);
    }

    /// <summary>
    /// The one split left on purpose, reported: a MudTextField's helper text is a plain string, so its header name cannot be
    /// kept whole.
    /// </summary>
    private static bool Known(string path, string word) =>
        path == "/alerts/channels" && word == "X-MeshPortal-Signature";

    /// <summary>The element that sticks out furthest to the right, to name in the failure.</summary>
    private static Task<string> WidestAsync(IPage page) => page.EvaluateAsync<string>(
        """
        () => {
            let worst = null, right = document.documentElement.clientWidth;
            for (const e of document.querySelectorAll('main *, header *')) {
                const r = e.getBoundingClientRect();
                if (r.right > right + 1 && (!worst || r.right > worst.r)) worst = { r: r.right, e };
            }
            if (!worst) return 'nothing in main';
            const e = worst.e;
            return `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').slice(0, 2).join('.') : ''} "${(e.textContent || '').trim().slice(0, 40)}" ends at ${Math.round(worst.r)} px`;
        }
        """);
}
