using System.Diagnostics;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Tests.Core.Persistence;

/// <summary>The busy handler on real SQLite files: a writer waits for the lock another connection holds, gets it when that one
/// commits, and gives up with SQLITE_BUSY after its connection's timeout.</summary>
[Trait("Speed", "Fast")]
public sealed class SqliteBusyTimeoutTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("meshportal-busy-").FullName;

    [Theory]
    [InlineData(0, 1000, true)]
    [InlineData(999, 1000, true)]
    [InlineData(1000, 1000, false)]
    [InlineData(5000, 1000, false)]
    public void Keeps_polling_every_millisecond_until_the_timeout(int count, int timeoutMs, bool expected) =>
        Assert.Equal(expected, SqliteBusyTimeout.KeepWaiting(count, timeoutMs));

    [Fact]
    public async Task A_writer_waits_for_the_lock_and_gets_it_when_the_holder_commits_and_gives_up_after_its_timeout()
    {
        await using var holder = Context(timeoutSeconds: 30);
        await holder.Database.ExecuteSqlRawAsync("CREATE TABLE t (x INTEGER)");
        await holder.Database.OpenConnectionAsync();
        await using var held = await holder.Database.BeginTransactionAsync(); // BEGIN IMMEDIATE: the write lock
        await holder.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (1)");

        // A writer with a 1 s timeout waits about that long (no handler would fail at once), then gets SQLITE_BUSY.
        await using (var impatient = Context(timeoutSeconds: 1))
        {
            var watch = Stopwatch.StartNew();
            var busy = await Assert.ThrowsAsync<SqliteException>(() => impatient.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (2)"));
            Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"gave up after {watch.Elapsed}");
        }

        // A patient writer started while the lock is held completes once the holder commits.
        await using var patient = Context(timeoutSeconds: 30);
        var waiting = Task.Run(() => patient.Database.ExecuteSqlRawAsync("INSERT INTO t VALUES (3)"));
        Assert.False(waiting.IsCompleted);
        await held.CommitAsync();
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal([1, 3], await holder.Database.SqlQueryRaw<int>("SELECT x AS \"Value\" FROM t ORDER BY x").ToListAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private MeshPortalDbContext Context(int timeoutSeconds) => new(new DbContextOptionsBuilder<MeshPortalDbContext>()
        .UseSqlite($"Data Source={Path.Combine(directory, "busy.db")};Default Timeout={timeoutSeconds}")
        .AddInterceptors(SqliteBusyTimeout.Instance).Options);
}
