namespace MeshPortal.Core.Configuration;

/// <summary>The <c>MeshPortal</c> configuration section (appsettings.json or MeshPortal__* environment variables).</summary>
public sealed class MeshPortalOptions
{
    public const string Section = "MeshPortal";

    /// <summary>SQLite files, the Data Protection key ring and the demo's kubeconfig. Relative paths resolve against the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    public DemoOptions Demo { get; set; } = new();
    public BootstrapOptions Bootstrap { get; set; } = new();
    public JobOptions Jobs { get; set; } = new();

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}

public sealed class DemoOptions
{
    /// <summary>Number of simulated clusters to start and register (0 = none). Production never starts the simulator unless asked.</summary>
    public int Clusters { get; set; }
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
    public int QueuePollMilliseconds { get; set; } = 200;

    public int WorkerCount { get; set; } = 4;

    /// <summary>How often every cluster's connection check runs (cron, UTC). Empty disables it.</summary>
    public string ClusterCheckCron { get; set; } = "*/5 * * * *";

    /// <summary>Set false to run without the Hangfire server (tools, some tests).</summary>
    public bool Enabled { get; set; } = true;
}
