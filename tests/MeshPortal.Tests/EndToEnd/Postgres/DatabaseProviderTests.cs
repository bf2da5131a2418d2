using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Locks;
using MeshPortal.Core.Platform.Persistence;
using MeshPortal.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace MeshPortal.Tests.EndToEnd.Postgres;

/// <summary>Migrations from empty on both providers, the model on PostgreSQL, and the advisory locks replicas share.</summary>
[Collection("postgres")]
[Trait("Provider", "Postgres")]
[Trait("Speed", "EndToEnd")]
public sealed class DatabaseProviderTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Postgres_migrations_apply_from_empty_and_leave_nothing_pending()
    {
        await using var db = Context(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() }, "");
        await db.Database.MigrateAsync();

        var all = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(DatabaseSetup.PostgresMigrationsAssembly, db.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Sqlite_migrations_apply_from_empty_and_leave_nothing_pending()
    {
        var directory = Directory.CreateTempSubdirectory("meshportal-sqlite-").FullName;
        try
        {
            await using (var db = Context(new DatabaseOptions(), directory))
            {
                await db.Database.MigrateAsync();
                Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
                Assert.Equal(DatabaseSetup.SqliteMigrationsAssembly, db.GetService<IMigrationsAssembly>().Assembly.GetName().Name);
                Assert.False(db.Database.HasPendingModelChanges());
                Assert.Contains("DataProtectionKeys", db.Model.GetEntityTypes().Select(e => e.GetTableName()));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [PostgresFact]
    public async Task DateTimeOffsets_are_stored_as_ticks_on_postgres_and_compare_and_sort_in_sql()
    {
        await using var db = Context(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = await server.CreateDatabaseAsync() }, "");
        await db.Database.MigrateAsync();
        var early = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(7);
        var late = early.AddMinutes(1);
        db.Clusters.AddRange(Cluster("late", late), Cluster("early", early));
        await db.SaveChangesAsync();

        var ordered = await db.Clusters.AsNoTracking().Where(c => c.CreatedAt >= early).OrderBy(c => c.CreatedAt).ToListAsync();
        Assert.Equal(["early", "late"], ordered.Select(c => c.Name));
        Assert.Equal(early, ordered[0].CreatedAt); // same instant, tick-exact
        Assert.Equal(TimeSpan.Zero, ordered[0].CreatedAt.Offset);

        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT data_type FROM information_schema.columns WHERE table_name = 'Clusters' AND column_name = 'CreatedAt'""", connection);
        Assert.Equal("bigint", await command.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task An_advisory_cluster_lock_is_held_until_released_and_dies_with_its_connection()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var a = new PostgresAdvisoryLocks(connectionString);
        var b = new PostgresAdvisoryLocks(connectionString);

        var held = await a.AcquireAsync(ClusterLockScope.Push, 42, CancellationToken.None);
        Assert.Null(await b.TryAcquireAsync(ClusterLockScope.Push, 42, CancellationToken.None));
        await using (var other = await b.TryAcquireAsync(ClusterLockScope.Push, 43, CancellationToken.None))
        {
            Assert.NotNull(other); // another cluster
        }

        await using (var otherScope = await b.TryAcquireAsync(ClusterLockScope.Probe, 42, CancellationToken.None))
        {
            Assert.NotNull(otherScope); // another scope
        }

        var waiting = b.AcquireAsync(ClusterLockScope.Push, 42, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(20));

        // The holder dies (like a replica killed with -9): PostgreSQL drops its session and the lock with it.
        await using (var admin = new NpgsqlConnection(connectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 42 AND pid <> pg_backend_pid()", admin);
            await kill.ExecuteNonQueryAsync();
        }

        var again = await Eventually.ReturnsAsync(() => a.TryAcquireAsync(ClusterLockScope.Push, 42, CancellationToken.None), h => h is not null, "the lock of a dead session");
        await again!.DisposeAsync();
        await second.DisposeAsync(); // its connection is gone: disposing must not throw
    }

    [PostgresFact]
    public async Task Cluster_pushes_in_two_processes_never_overlap_on_the_same_cluster()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var first = new ClusterLocks(new PostgresAdvisoryLocks(connectionString)); // two replicas: separate in-process locks
        var second = new ClusterLocks(new PostgresAdvisoryLocks(connectionString));
        Assert.True(first.SpansProcesses);
        var inside = 0;
        var most = 0;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var held = await (i % 2 == 0 ? first : second).AcquireAsync(7, CancellationToken.None);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await Task.Yield();
            await using (var probe = new NpgsqlConnection(connectionString))
            {
                await probe.OpenAsync(); // some real time inside the lock
            }

            Interlocked.Decrement(ref inside);
        }));
        Assert.Equal(1, most);
    }

    [PostgresFact]
    public async Task A_check_or_probe_already_running_on_another_replica_is_skipped_there()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var replicaA = new ClusterLocks(new PostgresAdvisoryLocks(connectionString));
        var replicaB = new ClusterLocks(new PostgresAdvisoryLocks(connectionString));

        var running = await replicaA.TryEnterAsync(ClusterLockScope.Probe, 5, CancellationToken.None);
        Assert.NotNull(running);
        Assert.Null(await replicaB.TryEnterAsync(ClusterLockScope.Probe, 5, CancellationToken.None));
        await using (var check = await replicaB.TryEnterAsync(ClusterLockScope.Check, 5, CancellationToken.None))
        {
            Assert.NotNull(check); // a check of the same cluster is another job
        }

        await running!.DisposeAsync();
        await using var after = await replicaB.TryEnterAsync(ClusterLockScope.Probe, 5, CancellationToken.None);
        Assert.NotNull(after);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static ClusterEntity Cluster(string name, DateTimeOffset created) => new()
    {
        Name = name, Context = name, Server = "https://127.0.0.1:6443", ProtectedKubeconfig = "x", CreatedAt = created, UpdatedAt = created,
    };

    private static MeshPortalDbContext Context(DatabaseOptions options, string dataDirectory)
    {
        var builder = new DbContextOptionsBuilder<MeshPortalDbContext>();
        DatabaseSetup.Configure(builder, options, dataDirectory);
        return new MeshPortalDbContext(builder.Options);
    }
}

[Trait("Speed", "EndToEnd")]
public sealed class ClusterLocksSkipTests
{
    [Fact]
    public async Task In_one_process_a_second_run_for_the_same_cluster_and_job_is_skipped_until_the_first_ends()
    {
        var gate = new ClusterLocks();
        var first = await gate.TryEnterAsync(ClusterLockScope.Check, 1, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await gate.TryEnterAsync(ClusterLockScope.Check, 1, CancellationToken.None));
        await using (var other = await gate.TryEnterAsync(ClusterLockScope.Check, 2, CancellationToken.None))
        {
            Assert.NotNull(other);
        }

        await first!.DisposeAsync();
        await first.DisposeAsync(); // twice is harmless
        await using var again = await gate.TryEnterAsync(ClusterLockScope.Check, 1, CancellationToken.None);
        Assert.NotNull(again);
    }

    [Fact]
    public async Task Waiting_and_skipping_take_the_same_lock_and_a_push_counts_its_generation()
    {
        var locks = new ClusterLocks();
        await using (await locks.AcquireAsync(ClusterLockScope.Trust, 0, CancellationToken.None))
        {
            Assert.Null(await locks.TryEnterAsync(ClusterLockScope.Trust, 0, CancellationToken.None));
            await using var otherScope = await locks.TryEnterAsync(ClusterLockScope.Alerts, 0, CancellationToken.None);
            Assert.NotNull(otherScope);
        }

        var push = await locks.AcquireAsync(7, CancellationToken.None);
        Assert.Equal(1, locks.Generation(7));
        Assert.Null(await locks.TryEnterAsync(ClusterLockScope.Push, 7, CancellationToken.None));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => locks.AcquireAsync(ClusterLockScope.Push, 7, cts.Token));
        await push.DisposeAsync();
        await using var after = await locks.TryEnterAsync(ClusterLockScope.Push, 7, CancellationToken.None);
        Assert.NotNull(after);
    }

    [Fact]
    public void Cluster_names_map_to_stable_keys_that_do_not_depend_on_the_process()
    {
        Assert.Equal(unchecked((int)0xE40C292C), ClusterLocks.KeyOf("a")); // FNV-1a, not string.GetHashCode (randomized per process)
        Assert.NotEqual(ClusterLocks.KeyOf("cluster-1"), ClusterLocks.KeyOf("cluster-2"));
    }
}

[Trait("Speed", "EndToEnd")]
public sealed class DatabaseDescriptionTests
{
    [Fact]
    public void The_postgres_description_names_the_server_and_never_the_password()
    {
        var text = DatabaseDescription.Of(new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres, ConnectionString = "Host=db;Port=5433;Database=meshportal;Username=mp;Password=s3cret-pw",
        }, "/data");
        Assert.Equal("Host=db;Port=5433;Database=meshportal;Username=mp", text);
        Assert.DoesNotContain("s3cret", DatabaseDescription.Of(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = "Password=s3cret;;=" }, "/data"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sqlite_description_names_both_files() =>
        Assert.Equal("/data/meshportal.db (Hangfire: /data/hangfire.db)", DatabaseDescription.Of(new DatabaseOptions(), "/data"));
}

[Trait("Speed", "EndToEnd")]
public sealed class ReplicaGuardTests
{
    [Fact]
    public void Sqlite_with_more_than_one_replica_is_refused_with_a_pointer_to_postgres()
    {
        var refusal = ReplicaGuard.Refusal(new MeshPortalOptions { Replicas = 2 });
        Assert.NotNull(refusal);
        Assert.Contains("PostgreSQL", refusal, StringComparison.Ordinal);
        Assert.Contains("MeshPortal__Database__Provider=Postgres", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, 1)]
    [InlineData(DatabaseProvider.Postgres, 1)]
    [InlineData(DatabaseProvider.Postgres, 3)]
    public void One_replica_or_postgres_may_start(DatabaseProvider provider, int replicas) =>
        Assert.Null(ReplicaGuard.Refusal(new MeshPortalOptions { Replicas = replicas, Database = { Provider = provider } }));

    [Fact]
    public void Zero_replicas_is_a_configuration_error() =>
        Assert.NotNull(ReplicaGuard.Refusal(new MeshPortalOptions { Replicas = 0, Database = { Provider = DatabaseProvider.Postgres } }));
}
