using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MeshPortal.Tests.Core.Exports;

/// <summary>
/// Server-side paging and filtering of the export and reachability lists on a migrated SQLite file: walking the pages gives the
/// whole list once, in the unpaged order; filters and visibility apply before the page is cut.
/// </summary>
[Trait("Speed", "Fast")]
public sealed class ListPagingTests : IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mp-paging-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        services = new ServiceCollection()
            .AddDbContextFactory<MeshPortalDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "db.sqlite")}", x => x.MigrationsAssembly(DatabaseSetup.SqliteMigrationsAssembly)))
            .BuildServiceProvider();
        await using var db = await Factory.CreateDbContextAsync();
        await db.Database.MigrateAsync();
        var clusters = Enumerable.Range(1, 3).Select(i => new ClusterEntity { Name = $"c{i}", Context = "x", ProtectedKubeconfig = "x", Server = "https://127.0.0.1" }).ToList();
        db.Clusters.AddRange(clusters);
        await db.SaveChangesAsync();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 25; i++)
        {
            var exporter = clusters[i % 3];
            var ns = i % 2 == 0 ? "even" : "odd";
            db.Exports.Add(new ExportEntity
            {
                ClusterId = exporter.Id, Namespace = ns, Service = $"svc{i:D2}", Host = $"svc{i:D2}.{ns}.global", Address = $"240.0.0.{i + 1}",
                AllConsumers = true, CreatedAt = now, UpdatedAt = now, Ports = [new ExportPortEntity { Name = "http", Number = 8000, Protocol = "HTTP" }],
            });
            foreach (var consumer in clusters.Where(c => c.Id != exporter.Id))
            {
                db.ProbeResults.Add(new ProbeResultEntity
                {
                    SourceClusterId = consumer.Id, TargetClusterId = exporter.Id, ExportId = 0, Host = $"svc{i:D2}.{ns}.global", Port = 8000,
                    Status = i % 5 == 0 ? "Dns" : "Ok", ObservedAt = now,
                });
            }
        }

        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private IDbContextFactory<MeshPortalDbContext> Factory => services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();

    [Fact]
    public async Task Export_pages_walk_the_whole_list_once_in_host_order_and_only_the_page_is_loaded()
    {
        var queries = new ExportQueries(Factory);
        var whole = await queries.ListAsync(CancellationToken.None);
        var walked = new List<ExportView>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await queries.PageAsync(new ExportListQuery(Limit: 7, AfterHost: after), _ => true, CancellationToken.None);
            Assert.InRange(page.Items.Count, 1, 7);
            walked.AddRange(page.Items);
            after = page.NextAfterHost;
            pages++;
        }
        while (after is not null);

        Assert.Equal(4, pages);
        Assert.Equal(25, whole.Count);
        Assert.Equal(whole.Select(e => e.Host), walked.Select(e => e.Host));
        Assert.Equal(whole.Select(e => e.Consumers.Count), walked.Select(e => e.Consumers.Count));
    }

    [Fact]
    public async Task Export_filters_and_visibility_apply_before_the_page_is_cut()
    {
        var queries = new ExportQueries(Factory);
        var page = await queries.PageAsync(new ExportListQuery(Limit: 3, Cluster: "c2", Namespace: "odd"), e => e.Service != "svc01", CancellationToken.None);

        // c2 exports i = 1, 4, 7, ..., 22; odd ones: 1, 7, 13, 19; svc01 is not visible.
        Assert.Equal(["svc07.odd.global", "svc13.odd.global", "svc19.odd.global"], page.Items.Select(e => e.Host));
        Assert.Null(page.NextAfterHost);
        var search = await queries.PageAsync(new ExportListQuery(Search: "SVC2"), _ => true, CancellationToken.None);
        Assert.Equal(["svc20.even.global", "svc21.odd.global", "svc22.even.global", "svc23.odd.global", "svc24.even.global"], search.Items.Select(e => e.Host));
    }

    [Fact]
    public async Task Result_pages_walk_every_latest_result_once_in_the_unpaged_order_and_filter_in_the_database()
    {
        var queries = new TopologyQueries(Factory, Options.Create(new ProbeOptions()), TimeProvider.System);
        var whole = await queries.LatestResultsAsync(CancellationToken.None);
        var walked = new List<ProbeResultView>();
        ResultPosition? after = null;
        do
        {
            var (items, next) = await queries.PageResultsAsync(new ResultListQuery(Limit: 11, After: after), CancellationToken.None);
            walked.AddRange(items);
            after = next;
        }
        while (after is not null);

        Assert.Equal(50, whole.Count);
        Assert.Equal(whole.Select(r => (r.Source, r.Host, r.Port)), walked.Select(r => (r.Source, r.Host, r.Port)));

        var (dns, more) = await queries.PageResultsAsync(new ResultListQuery(Source: "c1", Status: ProbeStatus.Dns), CancellationToken.None);
        // Dns: i = 0, 5, 10, 15, 20; c1 consumes those exported by c2 and c3 (i mod 3 != 0): 5, 10, 20.
        Assert.Equal(["svc05.odd.global", "svc10.even.global", "svc20.even.global"], dns.Select(r => r.Host));
        Assert.All(dns, r => Assert.Equal(("c1", ProbeStatus.Dns), (r.Source, r.Status)));
        Assert.Null(more);
        var (toC3, _) = await queries.PageResultsAsync(new ResultListQuery(Target: "c3", Search: "svc1"), CancellationToken.None);
        Assert.Equal([("c1", "svc11.odd.global"), ("c1", "svc14.even.global"), ("c1", "svc17.odd.global"), ("c2", "svc11.odd.global"), ("c2", "svc14.even.global"), ("c2", "svc17.odd.global")],
            toC3.Select(r => (r.Source, r.Host)));
    }
}
