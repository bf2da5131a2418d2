using MeshPortal.Core.Platform.Configuration;

namespace MeshPortal.Core.Platform.Persistence;

/// <summary>Start-up rule: the SQLite default is safe in one process only, so more than one replica needs PostgreSQL.</summary>
public static class ReplicaGuard
{
    /// <summary>Null when the configuration may start; otherwise the reason, addressed to the operator.</summary>
    public static string? Refusal(MeshPortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Replicas < 1)
        {
            return $"MeshPortal:Replicas is {options.Replicas}; it counts the portal processes sharing the database and must be at least 1.";
        }

        if (options.Replicas > 1 && options.Database.Provider == DatabaseProvider.Sqlite)
        {
            return $"MeshPortal:Replicas is {options.Replicas} but the database is SQLite, which is safe in one process only " +
                   "(the database file and Hangfire's SQLite storage would be shared without cross-process locking). " +
                   "Use PostgreSQL for more than one replica: MeshPortal__Database__Provider=Postgres and " +
                   "MeshPortal__Database__ConnectionString=Host=...;Database=...;Username=...;Password=..., or run a single replica.";
        }

        return null;
    }
}
