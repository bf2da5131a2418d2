using MeshPortal.Core.Platform.Audit;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MeshPortal.Tests.Core.Audit;

/// <summary>The audit writer on a migrated SQLite file: who/where/what land as given, long text is clipped, before/after become JSON.</summary>
[Trait("Speed", "Fast")]
public sealed class AuditLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 23, 0, 0, TimeSpan.Zero);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mp-audit-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(directory);
        services = new ServiceCollection()
            .AddDbContextFactory<MeshPortalDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(directory, "db.sqlite")}", x => x.MigrationsAssembly("MeshPortal.Migrations")))
            .BuildServiceProvider();
        await using var db = await services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>().CreateDbContextAsync();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Records_who_where_what_and_before_after_as_json()
    {
        var factory = services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        var log = new AuditLog(factory, new TestClock(Now));
        var who = new AuditContext("alice", "u1", "ci", "10.0.0.7", "curl/8.0");

        await log.RecordAsync(who, new AuditEvent("export.changed", "export", "bar/httpbin@cluster-2", "ports changed",
            Before: new { Ports = new[] { 8000 } }, After: new { Ports = new[] { 8000, 9000 } }));

        await using var db = await factory.CreateDbContextAsync();
        var entry = Assert.Single(await db.AuditEntries.ToListAsync());
        Assert.Equal(("alice", "ci", "10.0.0.7", "curl/8.0"), (entry.Actor, entry.TokenName, entry.RemoteIp, entry.UserAgent));
        Assert.Equal(("export.changed", "export", "bar/httpbin@cluster-2", "success"), (entry.Action, entry.TargetKind, entry.Target, entry.Outcome));
        Assert.Equal("""{"ports":[8000]}""", entry.Before);
        Assert.Equal("""{"ports":[8000,9000]}""", entry.After);
        Assert.Equal(Now, entry.At);
        Assert.Equal("alice (token ci)", who.Describe());
    }

    [Fact]
    public void Long_free_text_is_clipped_not_rejected()
    {
        var entry = AuditLog.ToEntity(new AuditContext(new string('a', 300)),
            new AuditEvent("signin.failed", "session", new string('t', 600), new string('s', 5000), Outcome: AuditOutcomes.Failed), Now);

        Assert.Equal(256, entry.Actor.Length);
        Assert.Equal(512, entry.Target!.Length);
        Assert.Equal(AuditLog.MaxTextLength, entry.Summary!.Length);
        Assert.EndsWith("…", entry.Summary);
        Assert.Null(entry.Before);
    }

    [Fact]
    public async Task Retention_deletes_only_entries_older_than_the_period_in_chunks()
    {
        var factory = services.GetRequiredService<IDbContextFactory<MeshPortalDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // 250 entries older than 30 days (more than two chunks of 100) and 3 younger ones.
            for (var i = 0; i < 250; i++)
            {
                db.AuditEntries.Add(AuditLog.ToEntity(AuditContext.System, new AuditEvent("cluster.rechecked", "cluster", "old" + i), Now.AddDays(-31).AddMinutes(-i)));
            }

            foreach (var days in new[] { 0, 10, 29 })
            {
                db.AuditEntries.Add(AuditLog.ToEntity(AuditContext.System, new AuditEvent("cluster.rechecked", "cluster", "young" + days), Now.AddDays(-days)));
            }

            await db.SaveChangesAsync();
        }

        var retention = new AuditRetention(factory, Microsoft.Extensions.Options.Options.Create(new AuditOptions { RetentionDays = 30, DeleteChunkSize = 100 }), new TestClock(Now));
        Assert.Equal(250, await retention.RunAsync(CancellationToken.None));
        Assert.Equal(0, await retention.RunAsync(CancellationToken.None));

        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(["young0", "young10", "young29"], (await check.AuditEntries.Select(e => e.Target!).ToListAsync()).Order());
    }

    [Fact]
    public void Retention_defaults_to_one_year() => Assert.Equal(365, new AuditOptions().RetentionDays);
}
