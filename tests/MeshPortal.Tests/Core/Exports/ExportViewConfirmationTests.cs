using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// The export view shows a Synced consumer as last synced when its cluster's newest run confirmed it (<see cref="SyncRunEntity.ConfirmedAt"/>),
/// read with the last pushes in one query: an older run's confirmation does not count, and the row's own time shows while the newest run
/// confirmed nothing.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ExportViewConfirmationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Written = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private ServiceHarness h = null!;
    private int consumerId;
    private int exportId;

    public async Task InitializeAsync()
    {
        h = await ServiceHarness.StartAsync();
        await using var db = await h.DbAsync();
        var clusters = Enumerable.Range(1, 2).Select(i => new ClusterEntity
        {
            Name = $"cluster-{i}", Context = "x", ProtectedKubeconfig = "x", Server = $"https://127.0.0.{i}:6443", IstioVersion = "1.6.8", KubernetesVersion = "v1.18.0",
            DnsProvider = "coredns", IstioCoreDnsAddress = $"10.{i}.0.53", GatewayAddress = $"203.0.113.{i}", GatewayPort = 15443,
            MeshFactsJson = MeshFactsJson.Serialize(ExportTestData.Installed("1.6.8", coreDns: $"10.{i}.0.53")),
        }).ToList();
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        var export = new ExportEntity
        {
            ClusterId = clusters[0].Id, Namespace = "bar", Service = "httpbin", Host = "httpbin.bar.global", Address = "240.0.0.2", AllConsumers = true,
            CreatedAt = Written.AddHours(-1), UpdatedAt = Written.AddHours(-1), Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
        };
        db.Exports.Add(export);
        await db.SaveChangesAsync();
        (consumerId, exportId) = (clusters[1].Id, export.Id);
        db.ManagedObjects.Add(new ManagedObjectEntity
        {
            ClusterId = consumerId, ApiVersion = "networking.istio.io/v1alpha3", Kind = "ServiceEntry", Namespace = "istio-system", Name = "httpbin-bar-global",
            Source = ExportNames.SourceOf(export.Id), DesiredHash = "h", State = ObjectSyncState.Synced, LastAttemptAt = Written, LastSyncedAt = Written,
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    private async Task RunAsync(int minutes, DateTimeOffset? confirmedAt)
    {
        await using var db = await h.DbAsync();
        var at = Written.AddMinutes(minutes);
        db.SyncRuns.Add(new SyncRunEntity { ClusterId = consumerId, Trigger = "t", StartedAt = at, FinishedAt = at, Succeeded = true, ChangesJson = "[]", ConfirmedAt = confirmedAt });
        await db.SaveChangesAsync();
    }

    private async Task<ConsumerStatus> ShownAsync()
    {
        var view = await h.Get<ExportQueries>().GetAsync(exportId, CancellationToken.None);
        return Assert.Single(view!.Consumers);
    }

    [Fact]
    public async Task The_newest_runs_confirmation_is_the_last_sync_shown()
    {
        Assert.Equal((ObjectSyncState.Synced, Written), ((await ShownAsync()).State, (await ShownAsync()).LastSyncedAt)); // no run yet: the row's time

        await RunAsync(10, Written.AddMinutes(10));
        await RunAsync(20, Written.AddMinutes(20));
        var confirmed = await ShownAsync();
        Assert.Equal((ObjectSyncState.Synced, Written.AddMinutes(20), Written.AddMinutes(20)), (confirmed.State, confirmed.LastSyncedAt, confirmed.LastAttemptAt));

        await RunAsync(30, null); // the newest run confirmed nothing: an older run's confirmation does not count
        var unconfirmed = await ShownAsync();
        Assert.Equal((Written, Written), (unconfirmed.LastSyncedAt, unconfirmed.LastAttemptAt));
        var listed = Assert.Single((await h.Get<ExportQueries>().ListAsync(CancellationToken.None)).Single().Consumers);
        Assert.Equal(unconfirmed, listed);
    }
}
