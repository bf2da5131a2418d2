using System.Data.Common;
using MeshPortal.Core.Platform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MeshPortal.Web.Health;

/// <summary>
/// Whether the database takes writes, without writing anything (issue 17, finding 16: <c>/readyz</c> stayed Healthy while
/// every write failed). SQLite: <c>BEGIN IMMEDIATE</c> takes the write lock (refused with SQLITE_READONLY on a read-only
/// file or file system, SQLITE_BUSY when another writer holds it past <paramref name="timeout"/>), then rolls back.
/// PostgreSQL: the session is not read-only and the server is not a standby.
/// </summary>
internal static class DatabaseWriteProbe
{
    /// <returns>null when writable, else why not.</returns>
    public static async Task<string?> CheckAsync(MeshPortalDbContext db, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            if (db.Database.IsSqlite())
            {
                var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
                connection.DefaultTimeout = Math.Max(1, (int)timeout.TotalSeconds);
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    await using var transaction = (DbTransaction)connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE
                    await transaction.RollbackAsync(ct);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }

                return null;
            }

            var readOnly = await db.Database
                .SqlQueryRaw<bool>("SELECT (pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on') AS \"Value\"")
                .SingleAsync(ct);
            return readOnly ? "the database is read-only (a standby, or default_transaction_read_only is on)" : null;
        }
        catch (DbException ex)
        {
            return ex.Message;
        }
    }
}
