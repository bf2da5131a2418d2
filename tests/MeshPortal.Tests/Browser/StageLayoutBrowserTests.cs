using MeshPortal.Tests.Support;
using MeshPortal.Tests.Trust;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

/// <summary>
/// Issue 16: the connection check's stages on the register page and the cluster page used the width of a table column,
/// splitting values mid-token ("cluster- 1", "api.reach able"). At 1440×900 and 390×844, with stages that fail with hints
/// (istiod down, DNS broken), no word is split, nothing scrolls sideways, and a stage's message uses the panel's width.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class StageLayoutBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Stage_tables_keep_tokens_whole_at_desktop_and_phone_widths()
    {
        using var api = portal.CreateClient();
        await using var mesh = await MeshPortal.Simulator.SimulatedMesh.StartAsync(new MeshPortal.Simulator.SimulatorOptions { Clusters = 1 });
        mesh["cluster-1"].Faults.IstiodDown = true;
        mesh["cluster-1"].Faults.DnsBroken = true;
        var name = "stage-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            foreach (var (width, height) in new[] { (1440, 900), (390, 844) })
            {
                await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = portal.BaseAddress.ToString(),
                    ViewportSize = new ViewportSize { Width = width, Height = height },
                });
                var page = await context.NewPageAsync();
                await Exports.ExportPortalHelpers.SignInAsync(page);
                await page.GotoAsync("/clusters/new");
                await MudSelectHelper.WaitInteractiveAsync(page);
                await page.Locator("[data-testid=field-name] input, input[data-testid=field-name]").First.FillAsync(name);
                var kubeconfig = page.Locator("[data-testid=field-kubeconfig] textarea, textarea[data-testid=field-kubeconfig]").First;
                await kubeconfig.FillAsync(mesh["cluster-1"].KubeconfigYaml);
                await kubeconfig.BlurAsync();
                await Assertions.Expect(page.Locator("[data-testid=run-check]")).ToBeEnabledAsync();
                await page.ClickAsync("[data-testid=run-check]");
                await Assertions.Expect(page.Locator("[data-testid=check-summary]")).ToContainTextAsync("Some stages failed");
                await AssertLaidOutAsync(page, page.Locator("[data-testid=check-panel]"), $"register at {width}px");
                await Shot(page, $"02b-register-stages-{width}");

                if (width == 1440)
                {
                    await page.ClickAsync("[data-testid=save-cluster]");
                    await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/clusters/{name}$"));
                }
                else
                {
                    await page.GotoAsync($"/clusters/{name}");
                    await MudSelectHelper.WaitInteractiveAsync(page);
                }

                // The newest run failed, so its panel is open.
                var history = page.Locator("[data-testid=check-history]");
                await Assertions.Expect(history.Locator("[data-testid=check-stages]").First).ToBeVisibleAsync();
                await AssertLaidOutAsync(page, history, $"cluster page at {width}px");
                await Shot(page, $"03b-cluster-stages-{width}");
            }
        }
        finally
        {
            await api.DeleteAsync($"/api/v1/clusters/{name}");
        }
    }

    private static async Task AssertLaidOutAsync(IPage page, ILocator panel, string where)
    {
        var stages = panel.Locator("[data-testid=check-stages]").First;
        await Assertions.Expect(stages).ToContainTextAsync("istiod");
        var broken = await LayoutProbe.BrokenWordsAsync(stages);
        Assert.True(broken.Count == 0, $"{where}: words split across lines: {string.Join(" | ", broken)}");
        Assert.Equal(0, await LayoutProbe.HorizontalOverflowAsync(page));

        // A failing stage's message is not squeezed into a column: it gets most of the panel's width.
        var widths = await stages.EvaluateAsync<double[]>(
            "e => { const m = e.querySelector('[data-stage-message]'); return [m ? m.getBoundingClientRect().width : 0, e.getBoundingClientRect().width]; }");
        Assert.True(widths[0] >= 0.75 * widths[1], $"{where}: a stage's message is {widths[0]:0} px wide in a {widths[1]:0} px list");
    }

    private Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, name + ".png"), FullPage = true });
}
