using MeshPortal.Tests.Support.Browser;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class RegisterClusterBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task SignIn_RegisterCluster_SeeItInTheListWithItsChecks()
    {
        await using var session = await browser.OpenAsync(portal.BaseAddress);
        var page = session.Page;

        // Sign in (the sign-in page is the only page open to anonymous users).
        await page.GotoAsync("/clusters");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await session.ShotAsync("01-login");
        await session.Login.FillAndSubmitAsync(PortalFixture.AdminUser, "wrong-password-here");
        await Assertions.Expect(session.Login.Error).ToContainTextAsync("Wrong user name or password");
        await session.Login.FillAndSubmitAsync(PortalFixture.AdminUser, PortalFixture.AdminPassword);
        await Assertions.Expect(session.Login.SignedInUser).ToHaveTextAsync(PortalFixture.AdminUser);
        await session.WaitInteractiveAsync();

        // Register through the form, with the staged connection check first.
        var name = "ui-" + Guid.NewGuid().ToString("N")[..6];
        var register = session.RegisterCluster;
        await register.GotoAsync();
        await register.FillAsync(name, portal.Mesh["cluster-1"].KubeconfigYaml);
        await register.RunCheckAsync();
        await Assertions.Expect(register.CheckSummary).ToContainTextAsync("Every stage passed");
        Assert.Equal(9, await register.Stages.CountAsync());
        await session.ShotAsync("02-register-checked");
        await register.SaveAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/clusters/{name}$"));
        var cluster = session.Cluster;
        await Assertions.Expect(cluster.Facts).ToContainTextAsync("1.6.8");
        await Assertions.Expect(cluster.Facts).ToContainTextAsync("203.0.113.");
        await Assertions.Expect(cluster.CheckHistory).ToContainTextAsync(PortalFixture.AdminUser);
        await session.ShotAsync("03-cluster-detail");

        await page.GotoAsync("/clusters");
        var row = session.Clusters.Row(name);
        await Assertions.Expect(row).ToContainTextAsync("Connected");
        await Assertions.Expect(row).ToContainTextAsync("1.6.8");
        await session.ShotAsync("04-cluster-list");

        foreach (var (path, file) in new[] { ("/", "05-overview"), ("/exports", "06-exports"), ("/trust", "07-trust"), ("/reachability", "08-reachability"),
                         ("/topology", "09-topology"), ("/background-jobs", "10-jobs"), ("/audit", "11-audit"), ("/settings", "12-settings") })
        {
            await page.GotoAsync(path);
            await session.WaitInteractiveAsync();
            await session.ShotAsync(file);
        }

        Assert.Empty(session.ConsoleErrors);
    }
}
