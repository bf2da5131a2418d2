using Hangfire.PostgreSql;
using MeshPortal.Core.Configuration;
using MeshPortal.Core.Persistence;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Options;

namespace MeshPortal.Web.Hosting;

public static class StartupTasks
{
    /// <summary>Applies migrations, creates the first admin, and (in demo mode) starts and registers the simulated clusters.</summary>
    public static async Task InitializeMeshPortalAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MeshPortalOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeshPortal.Startup");
        logger.LogInformation("Data directory: {DataDirectory}", options.ResolveDataDirectory());
        if (app.Services.GetService<DataDirectoryLock>() is { } directoryLock)
        {
            app.Lifetime.ApplicationStopped.Register(directoryLock.Dispose); // a restarted host in the same process may take it again
        }


        await PrepareDatabaseAsync(app.Services, options, logger, app.Lifetime.ApplicationStopping, async () =>
        {
            // Under the start-up lock too: replicas starting together must not both create the first admin.
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().RunAsync(options.Bootstrap);
        });

        if (options.Demo.Clusters > 0)
        {
            var demo = app.Services.GetRequiredService<DemoClusters>();
            await demo.StartAsync(options.Demo.Clusters, options.Demo.Profile, options.ResolveDataDirectory(), app.Lifetime.ApplicationStopping);
        }
    }

    /// <summary>
    /// Migrations (and on PostgreSQL Hangfire's schema and the first Data Protection key) by one replica at a time: the
    /// others wait on a PostgreSQL advisory lock, then find nothing left to do. SQLite is single-process and needs no lock.
    /// <paramref name="firstStart"/> (the first admin) runs last, still under the lock.
    /// </summary>
    internal static async Task PrepareDatabaseAsync(IServiceProvider services, MeshPortalOptions options, ILogger logger, CancellationToken ct, Func<Task> firstStart)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        if (options.Database.Provider != DatabaseProvider.Postgres)
        {
            await using (var sqlite = await dbFactory.CreateDbContextAsync(ct))
            {
                await sqlite.Database.MigrateAsync(ct);
            }

            await firstStart();
            return;
        }

        var locks = services.GetRequiredService<PostgresAdvisoryLocks>();
        await using (await locks.AcquireMigrationLockAsync(ct))
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                await db.Database.MigrateAsync(ct);
            }

            await using (var connection = new NpgsqlConnection(DatabaseSetup.RequireConnectionString(options.Database)))
            {
                await connection.OpenAsync(ct);
                PostgreSqlObjectsInstaller.Install(connection, HangfireSetup.HangfireSchema);
            }

            // The first key is created here, under the lock, so that replicas starting together share one key from the start.
            var keys = services.GetRequiredService<IKeyManager>();
            var now = DateTimeOffset.UtcNow;
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            {
                keys.CreateNewKey(now, now.AddDays(90));
                logger.LogInformation("Created the Data Protection key ring in the database");
            }

            await firstStart();
        }
    }
}
