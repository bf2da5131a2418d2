using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>
/// Lets SQLite itself wait for a lock another connection holds (<c>sqlite3_busy_timeout</c>, polling every few
/// milliseconds) instead of failing at once with SQLITE_BUSY. Without it, Microsoft.Data.Sqlite retries a busy statement
/// after <c>Thread.Sleep(150)</c>: in a burst of export creates, whose saves queue for the single writer behind each other
/// and behind the pushes' bookkeeping, nearly every wait cost 150 ms (or a multiple), which was most of the p99 latency.
/// Set on every open to the connection's <see cref="SqliteConnection.DefaultTimeout"/> (30 s unless a caller such as the
/// readiness write probe asks for less), so a command still gives up when its timeout says; it is a C call on the pooled
/// handle, no SQL command.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, checked(Math.Max(1, sqlite.DefaultTimeout) * 1000));
        }
    }
}
