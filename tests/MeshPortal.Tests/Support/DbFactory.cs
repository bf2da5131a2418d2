using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.Support;

/// <summary>A context factory over the portal's own provider set-up (<see cref="DatabaseSetup"/>), for tests of one store or query.</summary>
public sealed class DbFactory(DatabaseOptions options) : IDbContextFactory<MeshPortalDbContext>
{
    public MeshPortalDbContext CreateDbContext()
    {
        var builder = new DbContextOptionsBuilder<MeshPortalDbContext>();
        DatabaseSetup.Configure(builder, options, "");
        return new MeshPortalDbContext(builder.Options);
    }

    /// <summary>A migrated PostgreSQL database of its own on <paramref name="server"/>.</summary>
    public static async Task<DbFactory> PostgresAsync(PostgresServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var factory = new DbFactory(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() });
        await using var db = factory.CreateDbContext();
        await db.Database.MigrateAsync();
        return factory;
    }
}
