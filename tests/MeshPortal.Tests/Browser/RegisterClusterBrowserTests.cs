using MeshPortal.Tests.Support;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Browser;

[Collection(PortalCollection.Name)]
public sealed class RegisterClusterBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task SignIn_RegisterCluster_SeeItInTheListWithItsChecks()
    {
        await using var context = await browser.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, msg) => { if (msg.Type == "error") consoleErrors.Add(msg.Text); };

        // Sign in (the sign-in page is the only page open to anonymous users).
        await page.GotoAsync("/clusters");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await Shot(page, "01-login");
        await page.FillAsync("#username", PortalFixture.AdminUser);
        await page.FillAsync("#password", "wrong-password-here");
        await page.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToContainTextAsync("Wrong user name or password");
        await page.FillAsync("#username", PortalFixture.AdminUser);
        await page.FillAsync("#password", PortalFixture.AdminPassword);
        await page.ClickAsync("[data-testid=login-submit]");
        await Assertions.Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync(PortalFixture.AdminUser);
        await WaitInteractive(page);

        // Register through the form, with the staged connection check first.
        var name = "ui-" + Guid.NewGuid().ToString("N")[..6];
        await page.GotoAsync("/clusters/new");
        await WaitInteractive(page);
        await page.Locator("[data-testid=field-name] input, input[data-testid=field-name]").First.FillAsync(name);
        var kubeconfig = page.Locator("[data-testid=field-kubeconfig] textarea, textarea[data-testid=field-kubeconfig]").First;
        await kubeconfig.FillAsync(portal.Mesh["cluster-1"].KubeconfigYaml);
        await kubeconfig.BlurAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-check]")).ToBeEnabledAsync();
        await page.ClickAsync("[data-testid=run-check]");
        await Assertions.Expect(page.Locator("[data-testid=check-summary]")).ToContainTextAsync("Every stage passed");
        Assert.Equal(9, await page.Locator("[data-testid=check-stages] [data-stage]").CountAsync());
        await Shot(page, "02-register-checked");
        await page.ClickAsync("[data-testid=save-cluster]");

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/clusters/{name}$"));
        await Assertions.Expect(page.Locator("[data-testid=cluster-facts]")).ToContainTextAsync("1.6.8");
        await Assertions.Expect(page.Locator("[data-testid=cluster-facts]")).ToContainTextAsync("203.0.113.");
        await Assertions.Expect(page.Locator("[data-testid=check-history]")).ToContainTextAsync(PortalFixture.AdminUser);
        await Shot(page, "03-cluster-detail");

        await page.GotoAsync("/clusters");
        var row = page.Locator("[data-testid=cluster-table] tr", new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("Connected");
        await Assertions.Expect(row).ToContainTextAsync("1.6.8");
        await Shot(page, "04-cluster-list");

        foreach (var (path, file) in new[] { ("/", "05-overview"), ("/exports", "06-exports"), ("/trust", "07-trust"), ("/reachability", "08-reachability"),
                         ("/topology", "09-topology"), ("/background-jobs", "10-jobs"), ("/audit", "11-audit"), ("/settings", "12-settings") })
        {
            await page.GotoAsync(path);
            await WaitInteractive(page);
            await Shot(page, file);
        }

        Assert.Empty(consoleErrors);
    }

    private static Task WaitInteractive(IPage page) =>
        Assertions.Expect(page.Locator("[data-testid=render-state]")).ToHaveAttributeAsync("data-interactive", "yes");

    private Task Shot(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, name + ".png"), FullPage = true });
}
