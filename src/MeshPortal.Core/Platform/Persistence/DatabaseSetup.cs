using MeshPortal.Core.Platform.Configuration;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>
/// One place that turns <see cref="DatabaseOptions"/> into EF Core options: the provider, its connection and the
/// migrations assembly of that provider (migrations/Sqlite and migrations/Postgres hold them side by side).
/// </summary>
public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "MeshPortal.Migrations";
    public const string PostgresMigrationsAssembly = "MeshPortal.Migrations.Postgres";

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        switch (database.Provider)
        {
            case DatabaseProvider.Postgres:
                builder.UseNpgsql(RequireConnectionString(database), x => x.MigrationsAssembly(PostgresMigrationsAssembly));
                break;
            default:
                builder.UseSqlite($"Data Source={Path.Combine(dataDirectory, "meshportal.db")}", x => x.MigrationsAssembly(SqliteMigrationsAssembly))
                    .AddInterceptors(SqliteBusyTimeout.Instance); // wait for the writer's lock in SQLite, not in 150 ms sleeps
                break;
        }

        // A failed SaveChanges is rethrown to the caller, which handles it (e.g. a UNIQUE race the VIP allocator retries)
        // or lets it surface as an error; EF's own error-level log of every such failure only floods the log with stack traces.
        builder.ConfigureWarnings(w => w.Log((Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, Microsoft.Extensions.Logging.LogLevel.Debug)));

        // SQLite migrations that rebuild a table wrap it in "PRAGMA foreign_keys = 0/1", which SQLite cannot run inside a
        // transaction; EF warns on every fresh database that this "may leave the migration in a partially applied state",
        // which reads like data loss. Nothing is lost: start-up logs one line saying which migrations it applies instead.
        builder.ConfigureWarnings(w => w.Log((Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning, Microsoft.Extensions.Logging.LogLevel.Debug)));
    }

    public static string RequireConnectionString(DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return string.IsNullOrWhiteSpace(database.ConnectionString)
            ? throw new InvalidOperationException(
                "MeshPortal:Database:Provider is Postgres but MeshPortal:Database:ConnectionString is empty " +
                "(set MeshPortal__Database__ConnectionString, e.g. \"Host=db;Username=meshportal;Password=...;Database=meshportal\").")
            : database.ConnectionString;
    }
}

/// <summary>What the Settings page may show about the database: where it is, never a password.</summary>
public static class DatabaseDescription
{
    public static string Of(DatabaseOptions database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return Path.Combine(dataDirectory, "meshportal.db") + " (Hangfire: " + Path.Combine(dataDirectory, "hangfire.db") + ")";
        }

        try
        {
            var given = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
            return $"Host={given.Host};Port={given.Port};Database={given.Database};Username={given.Username}";
        }
        catch (ArgumentException)
        {
            return "(the connection string cannot be read)";
        }
    }
}
