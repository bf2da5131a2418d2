using System.ComponentModel.DataAnnotations;

namespace MeshPortal.Core.Platform.Configuration;

/// <summary>The <c>MeshPortal</c> configuration section (appsettings.json or MeshPortal__* environment variables).</summary>
public sealed class MeshPortalOptions
{
    public const string Section = "MeshPortal";

    /// <summary>SQLite files, the Data Protection key ring and the demo's kubeconfig. Relative paths resolve against the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    public DemoOptions Demo { get; set; } = new();
    public BootstrapOptions Bootstrap { get; set; } = new();
    public JobOptions Jobs { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>
    /// How many portal processes the operator runs against this database. Only PostgreSQL may serve more than one
    /// (the SQLite file and Hangfire's SQLite storage are safe in one process only): start-up refuses SQLite above 1.
    /// </summary>
    [Range(1, 64)]
    public int Replicas { get; set; } = 1;

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}

public sealed class DemoOptions
{
    /// <summary>Number of simulated clusters to start and register (0 = none). Production never starts the simulator unless asked.</summary>
    public int Clusters { get; set; }

    /// <summary>
    /// <c>modern</c> (default): today's setup, Istio 1.28 multi-primary on two networks (cluster-1 on net1, the others on net2,
    /// each with an east-west gateway). <c>seed</c>: the seed article's Istio 1.6.8 <c>.global</c> mesh.
    /// </summary>
    public string Profile { get; set; } = DemoProfiles.Modern;
}

public static class DemoProfiles
{
    public const string Modern = "modern";
    public const string Seed = "seed";

    public static bool IsKnown(string? profile) => profile is Modern or Seed;
}

public sealed class BootstrapOptions
{
    public string AdminUser { get; set; } = "admin";

    /// <summary>Password of the first admin account. When empty on first start, one is generated and printed once.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>An admin API token to create on first start (at least 32 characters).</summary>
    public string? AdminToken { get; set; }
}

public sealed class JobOptions
{
    /// <summary>Hangfire queue poll interval; low so that enqueued work starts within a second.</summary>
    [Range(10, 60_000)]
    public int QueuePollMilliseconds { get; set; } = 200;

    [Range(1, 100)]

    public int WorkerCount { get; set; } = 4;

    /// <summary>How often every cluster's connection check runs (cron, UTC). Empty disables it.</summary>
    [Cron]
    public string ClusterCheckCron { get; set; } = "*/5 * * * *";

    /// <summary>
    /// When a push or probe finds a cluster's API unreachable, the cluster is checked at once and again this many seconds
    /// later; reports within this window are coalesced into one pair of checks.
    /// </summary>
    [Range(1, 3_600)]
    public int RecheckAfterUnreachableSeconds { get; set; } = 30;

    /// <summary>
    /// PostgreSQL only: how long a fetched job stays invisible to other workers without a heartbeat. The storage's sliding
    /// invisibility keeps a running job's fetch alive, so this is how quickly a killed replica's job is picked up again.
    /// </summary>
    [Range(5, 86_400)]
    public int InvisibilityTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// PostgreSQL only: when a Hangfire lock row (job state changes, the recurring scheduler) counts as abandoned. The
    /// storage has no lock heartbeat, so a replica killed while it held one blocks that job until then (storage default:
    /// 10 minutes). MeshPortal takes no long Hangfire locks (cluster pushes use advisory locks), so a minute is plenty.
    /// </summary>
    [Range(5, 86_400)]
    public int DistributedLockTimeoutSeconds { get; set; } = 60;

    /// <summary>Set false to run without the Hangfire server (tools, some tests).</summary>
    public bool Enabled { get; set; } = true;
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default: files in the data directory) or <c>Postgres</c> (needs <see cref="ConnectionString"/>).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Npgsql connection string for <c>Postgres</c> (EF Core, Hangfire and the Data Protection key ring share the database;
    /// Hangfire keeps its tables in the <c>hangfire</c> schema). Ignored for SQLite, whose files live in the data directory.
    /// </summary>
    public string? ConnectionString { get; set; }
}
