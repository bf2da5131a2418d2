using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// The Exports page's state filter computes consumer states from light reads; it must pick exactly the exports whose full
/// views have a consumer in that state, in host order, whatever mix of recorded, failed, pending and unknown pairs they have.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ExportStateFilterTests : IAsyncLifetime
{
    private ServiceHarness h = null!;

    public async Task InitializeAsync()
    {
        h = await ServiceHarness.StartAsync();
        await using var db = await h.DbAsync();
        var now = DateTimeOffset.UtcNow;
        var clusters = Enumerable.Range(1, 4).Select(i => new ClusterEntity
        {
            Name = $"cluster-{i}", Context = "x", ProtectedKubeconfig = "x", Server = $"https://127.0.0.{i}:6443", IstioVersion = "1.6.8",
            KubernetesVersion = "v1.18.0", DnsProvider = "coredns", IstioCoreDnsAddress = $"10.{i}.0.53",
            GatewayAddress = i == 4 ? null : $"203.0.113.{i}", GatewayPort = 15443, // cluster-4's exports wait for its gateway address
        }).ToList();
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        var exports = Enumerable.Range(0, 40).Select(i => new ExportEntity
        {
            ClusterId = clusters[i % 4].Id, Namespace = "bar", Service = $"svc-{i:D2}", Host = $"svc-{i:D2}.bar.global", Address = $"240.0.0.{i + 1}",
            AllConsumers = i % 3 != 0, Consumers = i % 3 == 0 ? [new ExportConsumerEntity { ClusterId = clusters[(i + 1) % 4].Id }] : [],
            CreatedAt = now, UpdatedAt = now, Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
        }).ToList();
        db.Exports.AddRange(exports);
        await db.SaveChangesAsync();
        foreach (var (e, i) in exports.Select((e, i) => (e, i)))
        {
            foreach (var c in clusters.Where(c => c.Id != e.ClusterId && i % 7 != 0)) // every 7th export was never pushed
            {
                var state = ((i + c.Id) % 5) switch { 0 => ObjectSyncState.Failed, 1 => ObjectSyncState.Pending, _ => ObjectSyncState.Synced };
                db.ManagedObjects.Add(new ManagedObjectEntity
                {
                    ClusterId = c.Id, ApiVersion = "networking.istio.io/v1alpha3", Kind = "ServiceEntry", Namespace = "istio-system",
                    Name = $"{e.Service}-bar", Source = ExportNames.SourceOf(e.Id), DesiredHash = "h", State = state,
                    Message = state == ObjectSyncState.Failed ? "denied" : null, LastAttemptAt = now, LastSyncedAt = state == ObjectSyncState.Synced ? now : null,
                });
            }
        }

        db.SyncRuns.Add(new SyncRunEntity { ClusterId = clusters[1].Id, Trigger = "t", StartedAt = now, FinishedAt = now, Succeeded = false, Error = "down", ChangesJson = "[]" });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Theory]
    [InlineData(ObjectSyncState.Failed)]
    [InlineData(ObjectSyncState.Pending)]
    [InlineData(ObjectSyncState.Synced)]
    [InlineData(ObjectSyncState.Unsupported)]
    public async Task The_filter_picks_the_exports_whose_views_have_a_consumer_in_the_state(ObjectSyncState state)
    {
        var queries = h.Get<ExportQueries>();
        var expected = (await queries.ListAsync(CancellationToken.None)).Where(v => v.Consumers.Any(c => c.State == state)).Select(v => v.Host).ToList();

        var page = await queries.WindowAsync(new ExportWindowQuery(Page: 1, Size: 1000, State: state), _ => true, CancellationToken.None);
        Assert.Equal(expected, page.Items.Select(v => v.Host));
        Assert.Equal(40, page.MatchingBeforeState);

        var narrowed = await queries.WindowAsync(new ExportWindowQuery(Page: 1, Size: 1000, Cluster: "cluster-2", State: state), _ => true, CancellationToken.None);
        Assert.Equal(expected.Where(host => page.Items.Single(v => v.Host == host).Cluster == "cluster-2"), narrowed.Items.Select(v => v.Host));
        if (state != ObjectSyncState.Unsupported)
        {
            Assert.NotEmpty(expected); // the data has every state but Unsupported (all pairs are 1.6.8)
        }
    }
}
