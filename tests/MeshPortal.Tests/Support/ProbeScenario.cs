using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Simulator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static MeshPortal.Tests.Support.PortalApi;

namespace MeshPortal.Tests.Support;

/// <summary>The seed's export (httpbin/bar from cluster-2 to cluster-1) under unique cluster names, synced; disposed = cleaned up.</summary>
internal sealed class ProbeScenario : IAsyncDisposable
{
    private readonly PortalFixture portal;
    private readonly HttpClient api;

    /// <summary>This scenario's own simulated clusters (cluster-1 consumes, cluster-2 exports).</summary>
    public SimulatedMesh Mesh { get; private set; } = null!;

    private ProbeScenario(PortalFixture portal, HttpClient api)
    {
        this.portal = portal;
        this.api = api;
    }

    public string Exporter { get; private set; } = "";
    public string Consumer { get; private set; } = "";
    public int ConsumerId { get; private set; }
    public int? ExportId { get; private set; }

    public static async Task<ProbeScenario> StartAsync(PortalFixture portal, HttpClient api, string prefix)
    {
        // The seed's way: both clusters installed with cacerts from one root (created before Istio), so mTLS works from the start.
        var s = new ProbeScenario(portal, api) { Mesh = await portal.StartPrivateMeshAsync(cacertsAtInstall: true) };
        await PortalApi.EnsureRootAsync(api);
        s.Exporter = await RegisterAsync(api, s.Mesh, "cluster-2", prefix + "-exp");
        s.Consumer = await RegisterAsync(api, s.Mesh, "cluster-1", prefix + "-con");
        var created = await api.PostAsJsonAsync("/api/v1/exports", new { cluster = s.Exporter, @namespace = "bar", service = "httpbin", consumers = new[] { s.Consumer } });
        var export = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, export.ToJsonString());
        s.ExportId = (int)export["id"]!;
        await Eventually.ReturnsAsync(async () => (string?)(await JsonAsync(await api.GetAsync($"/api/v1/exports/{s.ExportId}")))["consumers"]?[0]?["state"],
            state => state == "Synced", "the consumer to show Synced");
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        s.ConsumerId = await db.Clusters.Where(c => c.Name == s.Consumer).Select(c => c.Id).SingleAsync();
        return s;
    }

    /// <summary>Runs the consumer's probe (one exec) until it reports <paramref name="expected"/>.</summary>
    public Task<ProbeRecord> ProbeUntilAsync(ProbeStatus expected) =>
        Eventually.ReturnsAsync(RunAsync, r => r.Classification.Status == expected, $"a {expected} probe result from {Consumer}");

    public async Task<ProbeRecord> RunAsync()
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var records = await scope.ServiceProvider.GetRequiredService<ProbeRunner>().RunClusterAsync(ConsumerId, CancellationToken.None);
        return Assert.Single(records);
    }

    public async ValueTask DisposeAsync()
    {
        var sim1 = Mesh["cluster-1"];
        if (ExportId is not null)
        {
            await api.DeleteAsync($"/api/v1/exports/{ExportId}");
            await Eventually.ReturnsAsync(() => Task.FromResult(sim1.Get("networking.istio.io", "serviceentries", "meshportal-exports", "httpbin-bar-global")),
                se => se is null, "cleanup prune");
        }

        await api.DeleteAsync($"/api/v1/clusters/{Exporter}");
        await api.DeleteAsync($"/api/v1/clusters/{Consumer}");
    }
}
