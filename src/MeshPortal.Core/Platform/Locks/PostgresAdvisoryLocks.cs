using Npgsql;

namespace MeshPortal.Core.Platform.Locks;

/// <summary>
/// Session-level PostgreSQL advisory locks, one connection per held lock: the lock lives exactly as long as that
/// connection, so a replica killed with -9 releases its locks as soon as PostgreSQL notices the closed socket.
/// Keys are (namespace, id) pairs: <see cref="MigrationKey"/> for start-up, and one namespace per <see cref="ClusterLockScope"/>.
/// </summary>
public sealed class PostgresAdvisoryLocks(string connectionString) : IClusterLockStore
{
    private const int Namespace = 0x4D50_0000; // "MP"

    /// <summary>The start-up lock: migrations, Hangfire's schema and the first Data Protection key, one replica at a time.</summary>
    public const int MigrationKey = 0;

    public Task<IAsyncDisposable> AcquireAsync(ClusterLockScope scope, int id, CancellationToken ct) =>
        AcquireAsync(Namespace + (int)scope, id, ct);

    public async Task<IAsyncDisposable?> TryAcquireAsync(ClusterLockScope scope, int id, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@a, @b)", connection);
            command.Parameters.AddWithValue("a", Namespace + (int)scope);
            command.Parameters.AddWithValue("b", id);
            if (await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true)
            {
                return new Held(connection, Namespace + (int)scope, id);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits for the start-up lock.</summary>
    public Task<IAsyncDisposable> AcquireMigrationLockAsync(CancellationToken ct) => AcquireAsync(Namespace, MigrationKey, ct);

    private async Task<IAsyncDisposable> AcquireAsync(int space, int id, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@a, @b)", connection);
            command.CommandTimeout = 0; // waiting is the point; cancellation comes from ct
            command.Parameters.AddWithValue("a", space);
            command.Parameters.AddWithValue("b", id);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return new Held(connection, space, id);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection, int space, int id) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Unlock before the connection goes back to the pool: a pooled session would otherwise keep the lock.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@a, @b)", connection);
                command.Parameters.AddWithValue("a", space);
                command.Parameters.AddWithValue("b", id);
                await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is broken: PostgreSQL has released the lock with the session. Make sure it is not pooled.
                NpgsqlConnection.ClearPool(connection);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
