using Hangfire.PostgreSql;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MeshPortal.Web.Hosting;

public static class StartupTasks
{
    /// <summary>Applies migrations, creates the first admin, and (in demo mode) starts and registers the simulated clusters.</summary>
    public static async Task InitializeMeshPortalAsync(this WebApplication app)
    {
        // Every ValidateOnStart check before anything is written (the host would run them only after the migration below).
        app.Services.GetService<IStartupValidator>()?.Validate();
        StartupTimeline.Mark("options validated");
        var options = app.Services.GetRequiredService<IOptions<MeshPortalOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeshPortal.Startup");
        logger.LogInformation("Data directory: {DataDirectory}", options.ResolveDataDirectory());
        if (app.Services.GetService<DataDirectoryLock>() is { } directoryLock)
        {
            app.Lifetime.ApplicationStopped.Register(directoryLock.Dispose); // a restarted host in the same process may take it again
        }


        // The endpoints (when already mapped) and EF's query pipeline are built on a second thread meanwhile: nothing waits for them.
        _ = StartupWarmUp.Start(app, logger);
        // Hangfire's SQLite file is not the portal's database: its start-up work runs beside the database preparation, and
        // is done before the job server starts (PostgreSQL installs Hangfire's schema under the migration lock below, so
        // there the recurring jobs are registered when the hosted services start, as before).
        var jobStorage = options.Database.Provider == DatabaseProvider.Sqlite
            ? Task.Run(() =>
            {
                JobRecovery.RequeueOrphans(app.Services, options, logger); // opens (on a fresh install: creates) hangfire.db
                StartupTimeline.Mark("orphan jobs requeued");
                MeshPortal.Core.Platform.Jobs.RecurringJobs.RegisterNow(app.Services);
                StartupTimeline.Mark("recurring jobs registered");
            })
            : Task.CompletedTask;
        try
        {
            await PrepareDatabaseAsync(app.Services, options, logger, app.Lifetime.ApplicationStopping, async () =>
            {
                // Under the start-up lock too: replicas starting together must not both create the first admin.
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AdminBootstrapper>().RunAsync(options.Bootstrap);
            });
        }
        catch
        {
            // The start is refused for the preparation's reason; the job storage work beside it is waited for (not left running
            // while the process exits) and its own failure, if any, is secondary.
            try
            {
                await jobStorage;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogDebug(ex, "Hangfire's start-up work failed too");
            }

            throw;
        }

        StartupTimeline.Mark("database prepared");
        await jobStorage;
        if (options.Database.Provider == DatabaseProvider.Sqlite)
        {
            SqliteFiles.RestrictToOwner(options.ResolveDataDirectory()); // the files a fresh installation just created
        }

        if (options.Demo.Clusters > 0)
        {
            var demo = app.Services.GetRequiredService<DemoClusters>();
            await demo.StartAsync(options.Demo.Clusters, options.Demo.Profile, options.ResolveDataDirectory(), app.Lifetime.ApplicationStopping);
        }

        app.Lifetime.ApplicationStarted.Register(() => StartupTimeline.Mark("listening"));
        // The first probe cycle right after start-up, not at the next cron tick (reachability stayed empty for up to a minute).
        app.Lifetime.ApplicationStarted.Register(() => JobRecovery.TriggerFirstProbeCycle(app.Services, logger));
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
                var file = sqlite.Database.GetDbConnection().DataSource;
                try
                {
                    StartupTimeline.Mark("db context created");
                    await MigrateAsync(sqlite, logger, ct);
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    throw new StartupRefusedException($"The database {file} cannot be opened or changed ({ex.Message.TrimEnd('.')}); check that the data directory is writable by this user and not mounted read-only.");
                }

                // Migrations can pass on a read-only file when there is nothing to apply: refuse now, not at the first write.
                if (await MeshPortal.Web.Health.DatabaseWriteProbe.CheckAsync(sqlite, TimeSpan.FromSeconds(5), ct) is { } why)
                {
                    throw new StartupRefusedException($"The database {file} cannot be written ({why.TrimEnd('.')}); check that the data directory is writable by this user and not mounted read-only.");
                }

                StartupTimeline.Mark("write probe");
            }

            await firstStart();
            return;
        }

        var locks = services.GetRequiredService<PostgresAdvisoryLocks>();
        await using (await locks.AcquireMigrationLockAsync(ct))
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                await MigrateAsync(db, logger, ct);
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

    /// <summary>
    /// Applies the pending migrations, and only when there are any: <c>__EFMigrationsHistory</c> already listing every
    /// migration of this build is one small query, while EF's <c>Migrate</c> with nothing to apply still takes its
    /// migration lock and builds the design-time model and the snapshot's to diff them (about a second of a cold start;
    /// unmigrated model changes are CI's gate, <c>has-pending-model-changes</c>, not every start's). A database without the
    /// history table (new, or older than it) lists every migration as pending, so it is migrated as before.
    /// </summary>
    private static async Task MigrateAsync(MeshPortalDbContext db, ILogger logger, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        StartupTimeline.Mark("pending migrations read");
        if (pending.Count == 0)
        {
            logger.LogDebug("The database has every migration of this build; nothing to apply");
            return;
        }

        // One line instead of EF's per-migration "partially applied state" warning about SQLite's foreign-key pragma.
        logger.LogInformation(
            "Applying {Count} database migration(s), {First} to {Last} (SQLite switches foreign keys off around table rebuilds; nothing is lost)",
            pending.Count, pending[0], pending[^1]);
        await db.Database.MigrateAsync(ct);
        StartupTimeline.Mark("migrations applied");
    }
}
