using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Core.Exports;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.EndToEnd.Postgres;

/// <summary>
/// The Exports page's state filter folds each export's objects in the database (string_agg on PostgreSQL, group_concat on SQLite):
/// on PostgreSQL too it picks exactly the exports whose views have a consumer in each state, over <see cref="ExportStateFilterTests"/>' data.
/// </summary>
[Collection("postgres")]
[Trait("Provider", "Postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class ExportStateFilterPostgresTests(PostgresServer server)
{
    [PostgresFact]
    public async Task The_filter_picks_the_exports_whose_views_have_a_consumer_in_each_state()
    {
        var factory = new DbFactory(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() });
        await using (var db = factory.CreateDbContext())
        {
            await db.Database.MigrateAsync();
            await ExportStateFilterTests.SeedAsync(db, DateTimeOffset.UtcNow);
        }

        var queries = new ExportQueries(factory);
        foreach (var state in Enum.GetValues<ObjectSyncState>())
        {
            Assert.NotEmpty(await ExportStateFilterTests.AssertExactAsync(queries, state));
        }
    }
}
