using System.Net;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.EndToEnd.Processes;

/// <summary>Issue 20 (cold start): what a start over existing data skips, and that /readyz stays honest, on real portal processes.</summary>
[Trait("Speed", "EndToEnd")]
public sealed class StartUpTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Logging__LogLevel__MeshPortal.Startup"] = "Information",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore.Migrations"] = "Information",
    };

    /// <summary>
    /// Start-up skips EF's Migrate when the history lists every migration: a database one migration behind (an installation
    /// upgraded to this build) must still get that migration, before /readyz answers 200.
    /// </summary>
    [Fact]
    public async Task ADatabaseOneMigrationBehind_IsMigratedBeforeReadyzAnswers200()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-upgrade-").FullName;
        try
        {
            string latest;
            await using (var services = Database(data))
            await using (var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync())
            {
                var all = db.Database.GetMigrations().ToList();
                latest = all[^1];
                await db.GetService<IMigrator>().MigrateAsync(all[^2]);
                Assert.DoesNotContain(latest, await db.Database.GetAppliedMigrationsAsync());
            }

            SqliteConnection.ClearAllPools();
            await using var portal = PortalProcess.Start(data, Settings);
            using var http = new HttpClient { BaseAddress = portal.Address, Timeout = TimeSpan.FromSeconds(30) };
            await Eventually.ReturnsAsync(async () => await ReadyzAsync(http, portal), s => s == HttpStatusCode.OK, "/readyz after the upgrade", TimeSpan.FromMinutes(2));

            Assert.Contains("Applying 1 database migration(s), " + latest, portal.Output);
            await using (var services = Database(data))
            await using (var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync())
            {
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            }
        }
        finally
        {
            Delete(data);
        }
    }

    /// <summary>
    /// A restart over an up-to-date database does not run EF's Migrate at all (it took the migration lock and diffed the
    /// design-time model against the snapshot: about a second of every start), and logs where its start-up time went.
    /// </summary>
    [Fact]
    public async Task ARestartOverAnUpToDateDatabase_SkipsMigrate_AndLogsItsStartUpTimeline()
    {
        var data = Directory.CreateTempSubdirectory("meshportal-restart-").FullName;
        try
        {
            await using (var first = PortalProcess.Start(data, Settings))
            {
                using var http = new HttpClient { BaseAddress = first.Address, Timeout = TimeSpan.FromSeconds(30) };
                await Eventually.ReturnsAsync(async () => await ReadyzAsync(http, first), s => s == HttpStatusCode.OK, "/readyz on the first start", TimeSpan.FromMinutes(2));
                Assert.Contains("Applying migration '", first.Output); // EF's migration log is on: the second start would show it
                first.Terminate();
                await first.WaitForExitAsync(TimeSpan.FromMinutes(1));
            }

            await using var second = PortalProcess.Start(data, Settings);
            using (var http = new HttpClient { BaseAddress = second.Address, Timeout = TimeSpan.FromSeconds(30) })
            {
                await Eventually.ReturnsAsync(async () => await ReadyzAsync(http, second), s => s == HttpStatusCode.OK, "/readyz after the restart", TimeSpan.FromMinutes(2));
            }

            await Eventually.ReturnsAsync(() => Task.FromResult(second.Output), o => o.Contains("Start-up timeline (since process start): main ", StringComparison.Ordinal),
                "the start-up timeline once ready", TimeSpan.FromSeconds(30));
            var output = second.Output;
            Assert.DoesNotContain("Applying", output);
            Assert.DoesNotContain("already up to date", output); // EF's Migrate with nothing to apply says this
            Assert.DoesNotContain("lock for migration", output);
            // Kestrel accepts requests before the host's ApplicationStarted ("listening") fires, so a /readyz polled at once can be
            // the first request and report ready before "listening" is marked (seen once at load 30); "first request" always is.
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, @"pending migrations read \d+ ms, .*first request \d+ ms, .*ready \(checks \d+ ms\) \d+ ms"),
                "the start-up timeline:\n" + output);
            // The endpoints and the EF model are built on a second thread while the database is prepared, not by the first request.
            await Eventually.ReturnsAsync(() => Task.FromResult(second.Output), o => System.Text.RegularExpressions.Regex.IsMatch(o, @"Start-up warm-up: [1-9]\d+ endpoints and the EF model built in \d+ ms"),
                "the start-up warm-up to finish", TimeSpan.FromSeconds(30));
        }
        finally
        {
            Delete(data);
        }
    }

    private static async Task<HttpStatusCode> ReadyzAsync(HttpClient http, PortalProcess portal)
    {
        if (portal.HasExited)
        {
            throw new InvalidOperationException("the portal exited:\n" + portal.Output);
        }

        try
        {
            return (await http.GetAsync("/readyz")).StatusCode;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.ServiceUnavailable; // not listening yet
        }
    }

    private static ServiceProvider Database(string data) => new ServiceCollection()
        .AddDbContextFactory<MeshPortalDbContext>(o => DatabaseSetup.Configure(o, new DatabaseOptions(), data))
        .BuildServiceProvider();

    private static void Delete(string directory)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // cleaned by the OS
        }
    }
}
