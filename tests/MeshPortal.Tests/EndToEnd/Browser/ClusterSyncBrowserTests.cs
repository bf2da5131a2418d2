using System.Net.Http.Json;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshPortal.Tests.EndToEnd.Browser;

/// <summary>The cluster page's sync section: managed objects with their states, "Sync now", and the sync history.</summary>
[Collection(PortalCollection.Name)]
[Trait("Speed", "EndToEnd")]
public sealed class ClusterSyncBrowserTests(PortalFixture portal, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [BrowserFact]
    public async Task Cluster_page_shows_managed_objects_and_sync_now_adds_a_run()
    {
        var name = "ui-sync-" + Guid.NewGuid().ToString("N")[..6];
        var api = portal.CreateClient();
        Assert.True((await api.PostAsJsonAsync("/api/v1/clusters", new { name, kubeconfig = portal.Mesh["cluster-2"].KubeconfigYaml, context = "cluster-2" })).IsSuccessStatusCode);
        var factory = portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        int id;
        await using (var db = await factory.CreateDbContextAsync())
        {
            id = await db.Clusters.Where(c => c.Name == name).Select(c => c.Id).SingleAsync();
        }

        // The registration's own push first, so that the rows below are not raced by it.
        await Eventually.ReturnsAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.SyncRuns.CountAsync(r => r.ClusterId == id);
        }, n => n > 0, "the registration's sync run");

        await using var session = await browser.SignedInAsync(portal.BaseAddress);
        var cluster = session.Cluster;
        await cluster.GotoAsync(name);
        // Whatever the trust and exports sources produce for this cluster in this run of the suite: a table, or the honest empty state.
        await Assertions.Expect(cluster.ManagedObjects.Locator("[data-testid=managed-objects-table], [data-testid=empty-state]").First).ToBeVisibleAsync();
        await Assertions.Expect(cluster.LastSync).ToContainTextAsync("succeeded");
        var runsBefore = await cluster.SyncRuns.CountAsync();
        Assert.True(runsBefore > 0);
        await cluster.ManagedObjects.ScrollIntoViewIfNeededAsync();
        await session.ShotAsync("20-cluster-managed-objects");

        await cluster.SyncNowAsync();
        await Assertions.Expect(cluster.SyncRuns.First).ToContainTextAsync("manual");
        await Assertions.Expect(cluster.SyncRuns).ToHaveCountAsync(runsBefore + 1);
        await session.ShotAsync("21-cluster-after-sync-now");
        Assert.Empty(session.ConsoleErrors);
    }
}
