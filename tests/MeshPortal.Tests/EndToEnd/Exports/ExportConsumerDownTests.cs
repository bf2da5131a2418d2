using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.EndToEnd.Exports;

/// <summary>
/// The failure case end to end, with the real exports planners, the batch re-check (what the recurring job runs),
/// the real SQLite file and three simulated clusters over HTTPS: one consumer's API is down.
/// </summary>
[Trait("Speed", "EndToEnd")]
public sealed class ExportConsumerDownTests : IAsyncLifetime
{
    private const string Group = "networking.istio.io";
    private ReconcilerHarness h = null!;

    public async Task InitializeAsync() => h = await ReconcilerHarness.StartAsync(clusters: 3, exports: true);

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_consumer_whose_api_is_down_is_Failed_with_the_reason_the_others_Synced_and_it_converges_after_recovery()
    {
        var id = await AddExportAsync();
        var down = h.Mesh["cluster-3"];
        down.Faults.ApiDown = true;
        try
        {
            var results = (await h.SyncAllAsync()).ToDictionary(r => r.ClusterName!);

            Assert.True(results["cluster-1"].Succeeded, results["cluster-1"].Error);
            Assert.True(results["cluster-2"].Succeeded, results["cluster-2"].Error);
            var failed = results["cluster-3"];
            Assert.False(failed.Succeeded);
            Assert.True(failed.Retryable);
            Assert.False(string.IsNullOrWhiteSpace(failed.Error));

            var states = await ConsumersAsync(id);
            Assert.Equal(ObjectSyncState.Synced, states["cluster-1"].State);
            Assert.Equal(ObjectSyncState.Failed, states["cluster-3"].State);
            Assert.Contains(failed.Error!, states["cluster-3"].Message);
            Assert.NotNull(ServiceEntry("cluster-1"));
            Assert.Null(ServiceEntry("cluster-2")); // the exporter does not consume its own export
        }
        finally
        {
            down.Faults.Reset();
        }

        var healed = await h.SyncAllAsync();
        Assert.All(healed, r => Assert.True(r.Succeeded, $"{r.ClusterName}: {r.Error}"));
        Assert.True(healed.Single(r => r.ClusterName == "cluster-3").Created > 0);
        Assert.All((await ConsumersAsync(id)).Values, c => Assert.Equal(ObjectSyncState.Synced, c.State));
        Assert.Equal("240.0.0.7", (string?)ServiceEntry("cluster-3")?["spec"]?["addresses"]?[0]);

        // Converged: the next re-check writes nothing anywhere.
        Assert.All(await h.SyncAllAsync(), r => Assert.Equal(0, r.Writes));
    }

    [Fact]
    public async Task A_synced_consumer_that_goes_down_before_a_change_is_Failed_until_it_recovers()
    {
        var id = await AddExportAsync();
        Assert.All(await h.SyncAllAsync(), r => Assert.True(r.Succeeded, r.Error));
        var down = h.Mesh["cluster-1"];
        down.Faults.ApiDown = true;
        try
        {
            var failed = (await h.SyncAllAsync()).Single(r => r.ClusterName == "cluster-1");
            Assert.False(failed.Succeeded);
            var states = await ConsumersAsync(id);
            Assert.Equal(ObjectSyncState.Failed, states["cluster-1"].State);
            Assert.Equal(failed.Error, states["cluster-1"].Message);
            Assert.Equal(ObjectSyncState.Synced, states["cluster-3"].State);
        }
        finally
        {
            down.Faults.Reset();
        }

        Assert.All(await h.SyncAllAsync(), r => Assert.True(r.Succeeded, r.Error));
        Assert.All((await ConsumersAsync(id)).Values, c => Assert.Equal(ObjectSyncState.Synced, c.State));
    }

    /// <summary>httpbin in bar on cluster-2, consumed by every other cluster (saved as ExportService saves it).</summary>
    private async Task<int> AddExportAsync()
    {
        await using var db = await h.DbAsync();
        var export = new ExportEntity
        {
            ClusterId = h.ClusterIds["cluster-2"], Namespace = "bar", Service = "httpbin", Host = ExportNames.Host("httpbin", "bar"),
            Address = "240.0.0.7", AllConsumers = true, CreatedBy = "test", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
        };
        db.Exports.Add(export);
        await db.SaveChangesAsync();
        return export.Id;
    }

    private async Task<Dictionary<string, ConsumerStatus>> ConsumersAsync(int id)
    {
        var view = await new ExportQueries(h.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<MeshPortalDbContext>>()).GetAsync(id, CancellationToken.None);
        return view!.Consumers.ToDictionary(c => c.Cluster);
    }

    private System.Text.Json.Nodes.JsonObject? ServiceEntry(string cluster) =>
        h.Mesh[cluster].Get(Group, "serviceentries", "meshportal-exports", "httpbin-bar-global");
}
