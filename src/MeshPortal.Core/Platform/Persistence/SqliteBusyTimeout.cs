using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>
/// Lets SQLite itself wait for a lock another connection holds instead of failing at once with SQLITE_BUSY (without a busy
/// handler, Microsoft.Data.Sqlite retries a busy statement after <c>Thread.Sleep(150)</c>, and in a burst of export creates
/// nearly every wait cost 150 ms or a multiple). The handler is set on every open, on the pooled handle (a C call, no SQL),
/// and gives up after the connection's <see cref="SqliteConnection.DefaultTimeout"/> (30 s unless a caller such as the
/// readiness write probe asks for less).
/// It polls every millisecond, for as long as it waits. SQLite's own <c>sqlite3_busy_timeout</c> backs off to one poll per
/// 100 ms after its first dozen tries, so a writer that waited a little kept losing the lock to writers that had just come
/// (which still poll every millisecond): with the write lock busy two thirds of the time (creates and pushes of a warm
/// portal), a few creates waited 1.4-2.8 s behind hundreds of later ones. Polling at one rate gives every waiter the same
/// chance at each release (a random winner, not a last-come one).
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeout Instance = new();

    // Kept alive for as long as the process runs: native code holds a pointer to it.
    private static readonly BusyHandler Handler = OnBusy;
    private static readonly IntPtr HandlerPointer = Marshal.GetFunctionPointerForDelegate(Handler);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr timeoutMs, int count);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether a statement that found the database locked for the <paramref name="count"/>-th time (0 first) should try again
    /// after one more millisecond: until it has waited the timeout. Pure.
    /// </summary>
    internal static bool KeepWaiting(int count, int timeoutMs) => count < timeoutMs;

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } sqlite)
        {
            var timeoutMs = checked(Math.Max(1, sqlite.DefaultTimeout) * 1000);
            var rc = NativeMethods.sqlite3_busy_handler(handle.DangerousGetHandle(), HandlerPointer, timeoutMs);
            if (rc != 0)
            {
                // Not expected (only a misuse of the handle fails); SQLite's own waiting is still better than none.
                SQLitePCL.raw.sqlite3_busy_timeout(handle, timeoutMs);
            }
        }
    }

    private static int OnBusy(IntPtr timeoutMs, int count)
    {
        if (!KeepWaiting(count, (int)timeoutMs))
        {
            return 0; // SQLITE_BUSY to the caller
        }

        Thread.Sleep(1);
        return 1;
    }

    private static class NativeMethods
    {
        // The library Microsoft.Data.Sqlite's bundle loads (SQLitePCLRaw.bundle_e_sqlite3): the same one the handle belongs to.
        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        public static extern int sqlite3_busy_handler(IntPtr db, IntPtr handler, IntPtr timeoutMs);
    }
}
