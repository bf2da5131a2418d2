using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// The Exports page's state filter computes consumer states from light reads; it must pick exactly the exports whose full
/// views have a consumer in that state, in host order, whatever mix of recorded, failed, pending and unknown pairs they have:
/// .global, multi-primary and unsupported pairs, moves, exports changed after the last push, an exporter without a gateway
/// address, a cluster whose mesh model was never read, a failed last push; and again after each of those inputs changes.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ExportStateFilterTests : IAsyncLifetime
{
    private static readonly ObjectSyncState[] States = Enum.GetValues<ObjectSyncState>();
    private readonly DateTimeOffset now = DateTimeOffset.UtcNow;
    private ServiceHarness h = null!;
    private List<ClusterEntity> clusters = null!;

    public async Task InitializeAsync()
    {
        h = await ServiceHarness.StartAsync();
        await using var db = await h.DbAsync();
        clusters = await SeedAsync(db, now);
    }

    /// <summary>The mix of clusters, exports, objects and runs the filter must get right (also seeded on PostgreSQL by <c>ExportStateFilterPostgresTests</c>).</summary>
    internal static async Task<List<ClusterEntity>> SeedAsync(MeshPortalDbContext db, DateTimeOffset now)
    {
        var clusters = Enumerable.Range(1, 10).Select(i => new ClusterEntity
        {
            Name = $"cluster-{i}", Context = "x", ProtectedKubeconfig = "x", Server = $"https://127.0.0.{i}:6443", IstioVersion = Facts(i)?.IstioVersion ?? "1.6.8",
            KubernetesVersion = "v1.18.0", DnsProvider = "coredns", IstioCoreDnsAddress = $"10.{i}.0.53",
            GatewayAddress = i == 4 ? null : $"203.0.113.{i}", GatewayPort = 15443, // cluster-4's exports wait for its gateway address
            MeshFactsJson = Facts(i) is { } facts ? MeshFactsJson.Serialize(facts) : null,
        }).ToList();
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        var exports = Enumerable.Range(0, 60).Select(i => new ExportEntity
        {
            ClusterId = clusters[i % 9].Id, Namespace = "bar", Service = $"svc-{i:D2}", Host = $"svc-{i:D2}.bar.global", Address = $"240.0.0.{i + 1}",
            AllConsumers = i % 3 != 0,
            Consumers = i % 3 == 0 ? [.. new[] { (i + 1) % 10, (i + 4) % 10 }.Where(c => c != i % 9).Select(c => new ExportConsumerEntity { ClusterId = clusters[c].Id })] : [],
            CreatedAt = now.AddHours(-3), UpdatedAt = i % 4 == 0 ? now.AddHours(1) : now.AddHours(-3), // a quarter changed after the last pushes
            MovePhase = i % 9 is 7 or 8 ? (ExportMovePhase)(i / 9 % 3) : ExportMovePhase.None, // exports of the 1.8.0 pair in every move phase
            Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
        }).ToList();
        db.Exports.AddRange(exports);
        await db.SaveChangesAsync();
        foreach (var (e, i) in exports.Select((e, i) => (e, i)))
        {
            foreach (var c in clusters.Where(c => c.Id != e.ClusterId && i % 7 != 0 && (i + c.Id) % 11 != 0)) // every 7th export was never pushed, some pairs not yet
            {
                var state = ((i + c.Id) % 5) switch { 0 => ObjectSyncState.Failed, 1 => ObjectSyncState.Pending, _ => ObjectSyncState.Synced };
                Managed(db, now, c.Id, e, "ServiceEntry", state);
                if ((i + c.Id) % 3 == 0)
                {
                    Managed(db, now, c.Id, e, "DestinationRule", (i % 2) == 0 ? ObjectSyncState.Synced : ObjectSyncState.Pending); // two objects in one consumer
                }
            }
        }

        // An object of an export in a cluster that no longer consumes it (the next push prunes it) and objects of other sources.
        Managed(db, now, clusters[9].Id, exports[3], "Sidecar", ObjectSyncState.Failed);
        db.ManagedObjects.Add(new ManagedObjectEntity
        {
            ClusterId = clusters[0].Id, ApiVersion = "v1", Kind = "ConfigMap", Namespace = "kube-system", Name = "coredns", Source = "dns", DesiredHash = "h", State = ObjectSyncState.Failed,
        });
        db.ManagedObjects.Add(new ManagedObjectEntity
        {
            ClusterId = clusters[0].Id, ApiVersion = "v1", Kind = "ConfigMap", Namespace = "kube-system", Name = "odd", Source = $"export/0{exports[1].Id}", DesiredHash = "h", State = ObjectSyncState.Failed,
        });
        foreach (var c in clusters)
        {
            var failed = c.Name is "cluster-2" or "cluster-7";
            db.SyncRuns.Add(new SyncRunEntity
            {
                ClusterId = c.Id, Trigger = "t", StartedAt = now, FinishedAt = now, Succeeded = !failed, Error = failed ? "down" : null, ChangesJson = "[]", ConfirmedAt = failed ? null : now,
            });
        }

        await db.SaveChangesAsync();
        return clusters;
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    /// <summary>1-3 and 10: Istio 1.6.8 the seed's way (.global); 4 the same without a gateway address; 5 never checked; 6, 7: 1.24 primaries; 8, 9: 1.8.0 with both models.</summary>
    private static MeshFacts? Facts(int i) => i switch
    {
        5 => null,
        6 or 7 => new MeshFacts { IstioVersion = "1.24.0", IstioClusterId = $"c{i}", MeshId = "mesh1" },
        8 or 9 => new MeshFacts
        {
            IstioVersion = "1.8.0", IstioClusterId = $"c{i}", MeshId = "mesh1", OverlayGateway = true, OverlayEnvoyFilter = true, OverlayDestinationRule = true,
            IngressRouterMode = "sni-dnat", IngressHasPort15443 = true, IstioCoreDnsAddress = $"10.{i}.0.53",
        },
        _ => ExportTestData.Installed("1.6.8", coreDns: $"10.{i}.0.53"),
    };

    private static void Managed(MeshPortalDbContext db, DateTimeOffset now, int clusterId, ExportEntity e, string kind, ObjectSyncState state) => db.ManagedObjects.Add(new ManagedObjectEntity
    {
        ClusterId = clusterId, ApiVersion = "networking.istio.io/v1alpha3", Kind = kind, Namespace = "istio-system",
        Name = $"{e.Service}-bar", Source = ExportNames.SourceOf(e.Id), DesiredHash = "h", State = state,
        Message = state == ObjectSyncState.Failed ? "denied" : null, LastAttemptAt = now, LastSyncedAt = state == ObjectSyncState.Synced ? now : null,
    });

    [Theory]
    [InlineData(ObjectSyncState.Failed)]
    [InlineData(ObjectSyncState.Pending)]
    [InlineData(ObjectSyncState.Synced)]
    [InlineData(ObjectSyncState.Unsupported)]
    public async Task The_filter_picks_the_exports_whose_views_have_a_consumer_in_the_state(ObjectSyncState state)
    {
        var expected = await AssertExactAsync(state);
        Assert.NotEmpty(expected); // the data has every state
    }

    [Fact]
    public async Task The_data_reaches_every_rule_of_the_views()
    {
        var views = await h.Get<ExportQueries>().ListAsync(CancellationToken.None);
        var consumers = views.SelectMany(v => v.Consumers.Select(c => (View: v, Consumer: c))).ToList();
        Assert.Contains(consumers, x => x.Consumer.State == ObjectSyncState.Synced && x.Consumer.Message?.StartsWith("Multi-primary", StringComparison.Ordinal) == true);
        Assert.Contains(consumers, x => x.Consumer.State == ObjectSyncState.Failed && x.Consumer.Message?.StartsWith("The last push to", StringComparison.Ordinal) == true);
        Assert.Contains(consumers, x => x.Consumer.State == ObjectSyncState.Failed && x.Consumer.Message == "denied");
        Assert.Contains(consumers, x => x.Consumer.State == ObjectSyncState.Pending && x.Consumer.Message?.StartsWith("Not pushed: cluster cluster-4", StringComparison.Ordinal) == true);
        Assert.Contains(consumers, x => x.Consumer.State == ObjectSyncState.Pending && x.Consumer.Message?.StartsWith("Not pushed yet: MeshPortal has not read", StringComparison.Ordinal) == true);
        Assert.Contains(consumers, x => x.Consumer.State == ObjectSyncState.Pending && x.Consumer.Message?.StartsWith("Waiting for the first push", StringComparison.Ordinal) == true);
        Assert.Contains(consumers, x => x.Consumer.State == ObjectSyncState.Unsupported);
        Assert.Contains(views, v => v.Move is { Phase: ExportMovePhase.Moving } && v.Consumers.Count > 0);
        Assert.Contains(views, v => v.Move is { Phase: ExportMovePhase.Moved } && v.Consumers.Count > 0);
    }

    [Fact]
    public async Task The_filter_stays_exact_when_its_inputs_change()
    {
        await using (var db = await h.DbAsync())
        {
            // A push is recorded: cluster-2 recovers, cluster-6 fails; objects change state.
            var c2 = clusters[1].Id;
            var c6 = clusters[5].Id;
            db.SyncRuns.Add(new SyncRunEntity { ClusterId = c2, Trigger = "t", StartedAt = now.AddMinutes(1), FinishedAt = now.AddMinutes(1), Succeeded = true, ChangesJson = "[]", ConfirmedAt = now.AddMinutes(1) });
            db.SyncRuns.Add(new SyncRunEntity { ClusterId = c6, Trigger = "t", StartedAt = now.AddMinutes(1), FinishedAt = now.AddMinutes(1), Succeeded = false, Error = "down", ChangesJson = "[]" });
            await db.SaveChangesAsync();
            await db.ManagedObjects.Where(m => m.ClusterId == c2).ExecuteUpdateAsync(s => s.SetProperty(m => m.State, ObjectSyncState.Synced));
        }

        await AssertExactForEveryStateAsync();

        await using (var db = await h.DbAsync())
        {
            // Exports edited: changed after every push, consumers switched, a move started.
            await db.Exports.Where(e => e.Id % 5 == 0).ExecuteUpdateAsync(s => s.SetProperty(e => e.UpdatedAt, now.AddHours(2)));
            await db.Exports.Where(e => e.Id % 5 == 1).ExecuteUpdateAsync(s => s.SetProperty(e => e.AllConsumers, e => !e.AllConsumers));
            await db.Exports.Where(e => e.ClusterId == clusters[7].Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.MovePhase, ExportMovePhase.Moving));
        }

        await AssertExactForEveryStateAsync();

        await using (var db = await h.DbAsync())
        {
            // Gateway addresses change: cluster-4 learns its own, cluster-1 loses its; cluster-5's mesh model is read.
            await db.Clusters.Where(c => c.Name == "cluster-4").ExecuteUpdateAsync(s => s.SetProperty(c => c.GatewayAddress, "203.0.113.4"));
            await db.Clusters.Where(c => c.Name == "cluster-1").ExecuteUpdateAsync(s => s.SetProperty(c => c.GatewayAddress, (string?)null));
            await db.Clusters.Where(c => c.Name == "cluster-5").ExecuteUpdateAsync(s => s.SetProperty(c => c.MeshFactsJson, MeshFactsJson.Serialize(Facts(1)!)));
        }

        await AssertExactForEveryStateAsync();

        await using (var db = await h.DbAsync())
        {
            // Clusters removed: a consumer-only one and an exporter (its exports go with it).
            await db.Clusters.Where(c => c.Name == "cluster-10" || c.Name == "cluster-3").ExecuteDeleteAsync();
        }

        await AssertExactForEveryStateAsync();
    }

    private async Task AssertExactForEveryStateAsync()
    {
        foreach (var state in States)
        {
            await AssertExactAsync(state);
        }
    }

    /// <summary>The filter (whole list, one cluster's exports, one namespace) picks exactly the exports whose views have a consumer in <paramref name="state"/>.</summary>
    private Task<List<string>> AssertExactAsync(ObjectSyncState state) => AssertExactAsync(h.Get<ExportQueries>(), state);

    /// <inheritdoc cref="AssertExactAsync(ObjectSyncState)"/>
    internal static async Task<List<string>> AssertExactAsync(ExportQueries queries, ObjectSyncState state)
    {
        var views = await queries.ListAsync(CancellationToken.None);
        var expected = views.Where(v => v.Consumers.Any(c => c.State == state)).Select(v => v.Host).ToList();

        var page = await queries.WindowAsync(new ExportWindowQuery(Page: 1, Size: 1000, State: state), _ => true, CancellationToken.None);
        Assert.Equal(expected, page.Items.Select(v => v.Host));
        Assert.Equal(views.Count, page.MatchingBeforeState);

        foreach (var cluster in new[] { "cluster-2", "cluster-4", "cluster-7", "cluster-8" })
        {
            var narrowed = await queries.WindowAsync(new ExportWindowQuery(Page: 1, Size: 1000, Cluster: cluster, State: state), _ => true, CancellationToken.None);
            Assert.Equal(expected.Where(host => views.Single(v => v.Host == host).Cluster == cluster), narrowed.Items.Select(v => v.Host));
        }

        var second = await queries.WindowAsync(new ExportWindowQuery(Page: 2, Size: 5, State: state), _ => true, CancellationToken.None);
        Assert.Equal(expected.Count, second.Window.Total);
        Assert.Equal(expected.Skip(second.Window.Offset).Take(5), second.Items.Select(v => v.Host));
        return expected;
    }
}
