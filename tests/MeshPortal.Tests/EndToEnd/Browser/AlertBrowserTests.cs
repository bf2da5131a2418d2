using System.Net;
using System.Net.Http.Json;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Simulator;
using MeshPortal.Tests.Support.Browser;
using MeshPortal.Tests.Support.Browser.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>
/// The Alerts pages in Chromium: an admin adds a signed webhook channel for a team (URL and secret never shown back, not even when
/// editing), sends a test notification that a real receiver verifies, sees a broken gateway's alert firing, silences it from its row,
/// and finds it in the resolved history after the heal; the Overview and the wall screen count alerts.
/// </summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class AlertBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Secret = "browser-channel-secret-987654321";

    [BrowserFact]
    public async Task Channel_form_never_shows_secrets_back_and_the_alerts_page_shows_firing_silenced_and_resolved()
    {
        var sfx = Guid.NewGuid().ToString("N")[..5];
        using var api = portal.CreateClient();
        await using var receiver = new LoopbackReceiver();
        await receiver.StartAsync();
        await using var mesh = await SimulatedMesh.StartAsync(new SimulatorOptions { Clusters = 2, Defaults = new SimulatedClusterOptions { CacertsAtInstall = true } });
        await PortalApi.EnsureRootAsync(api);
        var exporter = await PortalApi.RegisterAsync(api, mesh, "cluster-2", "ab2");
        var consumer = await PortalApi.RegisterAsync(api, mesh, "cluster-1", "ab1");
        var team = $"ops-{sfx}";
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/v1/teams", new { name = team })).StatusCode);
        var created = await PortalApi.JsonAsync(await api.PostAsJsonAsync("/api/v1/exports",
            new { cluster = exporter, @namespace = "bar", service = "httpbin", consumers = new[] { consumer }, team }));
        var exportId = (int)created["id"]!;
        var channelName = $"hook-{sfx}";
        try
        {
            await Eventually.ReturnsAsync(async () => (string?)(await PortalApi.JsonAsync(await api.GetAsync($"/api/v1/exports/{exportId}")))["consumers"]?[0]?["state"],
                s => s == "Synced", "the export synced", TimeSpan.FromSeconds(60));
            await using var session = await browser.SignedInAsync(portal.BaseAddress);
            var page = session.Page;

            // The channel form: a webhook for the team, with a secret.
            await page.GotoAsync("/alerts/channels");
            await session.WaitInteractiveAsync();
            await PortalPage.Field(page, "channel-name").FillAsync(channelName);
            await PortalPage.Field(page, "channel-url").FillAsync(receiver.Url("/hook/browser-path"));
            await PortalPage.Field(page, "channel-secret").FillAsync(Secret);
            await MudSelectHelper.PickAsync(page, "channel-team", team);
            await page.ClickAsync("[data-testid=channel-save]");
            var row = page.Locator("[data-testid=channel-row]", new() { HasText = channelName });
            await Assertions.Expect(row).ToContainTextAsync($"http://127.0.0.1:{receiver.Port}/…");
            await Assertions.Expect(row).ToContainTextAsync(team);
            await AssertNoSecretAsync(page);

            // Editing shows neither the URL nor the secret again.
            await row.Locator("[data-testid=channel-edit]").ClickAsync();
            await Assertions.Expect(PortalPage.Field(page, "channel-name")).ToHaveValueAsync(channelName);
            await Assertions.Expect(PortalPage.Field(page, "channel-url")).ToHaveValueAsync("");
            await Assertions.Expect(PortalPage.Field(page, "channel-secret")).ToHaveValueAsync("");
            await AssertNoSecretAsync(page);

            // "Send test": a real receiver gets it, signed; the history says delivered.
            await row.Locator("[data-testid=channel-test]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=delivery-row]").First).ToContainTextAsync("delivered");
            var test = Assert.Single(receiver.At("/hook/browser-path"));
            WebhookSignature.VerifyAsReadmeSays(test, Secret);
            await session.ShotAsync("60-alert-channels");

            // A broken gateway: the link fires after three probes and shows on the Alerts page.
            var consumerId = await ClusterIdAsync(consumer);
            mesh["cluster-2"].Faults.GatewayDown = true;
            for (var i = 0; i < 3; i++)
            {
                await ProbeUntilAsync(consumerId, ProbeStatus.Connect);
                Assert.True((await api.PostAsync("/api/v1/alerts/evaluate", null)).IsSuccessStatusCode);
            }

            await page.GotoAsync("/alerts");
            await session.WaitInteractiveAsync();
            await PortalPage.Field(page, "alert-filter-text").FillAsync(consumer);
            await PortalPage.Field(page, "alert-filter-text").PressAsync("Enter");
            var alert = page.Locator("[data-testid=alert-row]", new() { HasText = $"{consumer} → httpbin.bar.global:8000 fails (Connect)" });
            await Assertions.Expect(alert).ToHaveAttributeAsync("data-state", "Firing");
            await Assertions.Expect(alert).ToContainTextAsync("15443");
            await Assertions.Expect(alert).ToContainTextAsync($"team={team}");
            await session.ShotAsync("61-alerts-firing");

            // Silence it from its row: the form is filled from the alert; with a reason it becomes Silenced.
            await alert.Locator("[data-testid=alert-silence]").ClickAsync();
            await Assertions.Expect(PortalPage.Field(page, "silence-cluster")).ToHaveValueAsync(exporter);
            await PortalPage.Field(page, "silence-reason").FillAsync($"gateway replacement {sfx}");
            await page.ClickAsync("[data-testid=silence-create]");
            await Assertions.Expect(alert).ToHaveAttributeAsync("data-state", "Silenced");
            await Assertions.Expect(page.Locator("[data-testid=silence-row]", new() { HasText = $"gateway replacement {sfx}" })).ToHaveCountAsync(1);
            await session.ShotAsync("62-alerts-silenced");

            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator("[data-testid=overview-alerts]")).ToContainTextAsync("silenced");
            await session.ShotAsync("63-overview-alerts");
            await page.GotoAsync("/screen");
            await Assertions.Expect(page.Locator("[data-testid=screen-alerts]")).ToContainTextAsync("firing");
            await session.ShotAsync("64-screen-alerts");

            // Heal: it moves to the resolved history.
            mesh["cluster-2"].Faults.GatewayDown = false;
            await ProbeUntilAsync(consumerId, ProbeStatus.Ok);
            Assert.True((await api.PostAsync("/api/v1/alerts/evaluate", null)).IsSuccessStatusCode);
            await page.GotoAsync("/alerts");
            await session.WaitInteractiveAsync();
            await MudSelectHelper.PickAsync(page, "alert-filter-state", "Resolved");
            await PortalPage.Field(page, "alert-filter-text").FillAsync(consumer);
            await PortalPage.Field(page, "alert-filter-text").PressAsync("Enter");
            await Assertions.Expect(alert).ToHaveAttributeAsync("data-state", "Resolved");
            await session.ShotAsync("65-alerts-resolved");
            Assert.Empty(session.ConsoleErrors);
        }
        finally
        {
            mesh["cluster-2"].Faults.GatewayDown = false;
            await api.DeleteAsync($"/api/v1/exports/{exportId}");
            foreach (var c in (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/alerts/channels"))).AsArray())
            {
                if ((string?)c!["name"] == channelName)
                {
                    await api.DeleteAsync($"/api/v1/alerts/channels/{(int)c["id"]!}");
                }
            }

            foreach (var s in (await PortalApi.JsonAsync(await api.GetAsync("/api/v1/alerts/silences"))).AsArray())
            {
                if (((string?)s!["reason"])?.EndsWith(sfx, StringComparison.Ordinal) == true)
                {
                    await api.DeleteAsync($"/api/v1/alerts/silences/{(int)s["id"]!}");
                }
            }

            await api.DeleteAsync($"/api/v1/clusters/{exporter}");
            await api.DeleteAsync($"/api/v1/clusters/{consumer}");
            await api.PostAsync("/api/v1/alerts/evaluate", null);
        }
    }

    private static async Task AssertNoSecretAsync(IPage page)
    {
        var html = await page.ContentAsync();
        Assert.DoesNotContain(Secret, html);
        Assert.DoesNotContain("browser-path", html);
    }

    private async Task ProbeUntilAsync(int clusterId, ProbeStatus status) =>
        await Eventually.ReturnsAsync(async () =>
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var records = await scope.ServiceProvider.GetRequiredService<ProbeRunner>().RunClusterAsync(clusterId, CancellationToken.None);
            return records.Count == 1 ? records[0].Classification.Status : (ProbeStatus?)null;
        }, s => s == status, $"a {status} probe", TimeSpan.FromSeconds(60));

    private async Task<int> ClusterIdAsync(string name)
    {
        await using var db = await portal.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MeshPortal.Core.Platform.Persistence.MeshPortalDbContext>>().CreateDbContextAsync();
        return Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Clusters.Where(c => c.Name == name).Select(c => c.Id)).Result;
    }
}
