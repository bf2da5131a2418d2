using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// Issue 16: the connection check's stages on the register page and the cluster page used the width of a table column,
/// splitting values mid-token ("cluster- 1", "api.reach able"). At 1440×900 and 390×844, with stages that fail with hints
/// (istiod down, DNS broken), no word is split, nothing scrolls sideways, and a stage's message uses the panel's width.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
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
                await using var session = await browser.SignedInAsync(portal.BaseAddress, width: width, height: height);
                var page = session.Page;
                var register = session.RegisterCluster;
                await register.GotoAsync();
                await register.FillAsync(name, mesh["cluster-1"].KubeconfigYaml);
                await register.RunCheckAsync();
                await Assertions.Expect(register.CheckSummary).ToContainTextAsync("Some stages failed");
                await AssertLaidOutAsync(page, register.TestId("check-panel"), $"register at {width}px");
                await session.ShotAsync($"02b-register-stages-{width}");

                if (width == 1440)
                {
                    await register.SaveAsync();
                    await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/clusters/{name}$"));
                }
                else
                {
                    await session.Cluster.GotoAsync(name);
                }

                // The newest run failed, so its panel is open.
                var history = session.Cluster.CheckHistory;
                await Assertions.Expect(history.Locator("[data-testid=check-stages]").First).ToBeVisibleAsync();
                await AssertLaidOutAsync(page, history, $"cluster page at {width}px");
                await session.ShotAsync($"03b-cluster-stages-{width}");
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
}
