using System.ComponentModel.DataAnnotations;
using MeshPortal.Core.Platform.Configuration;

namespace MeshPortal.Core.Features.Sync;

/// <summary>The <c>MeshPortal:Sync</c> configuration section.</summary>
public sealed class SyncOptions
{
    public const string Section = "MeshPortal:Sync";

    /// <summary>How often every cluster is re-pushed to heal drift (cron, UTC). Empty disables the recurring job.</summary>
    [Cron]
    public string Cron { get; set; } = "*/3 * * * *";

    /// <summary>Writes in flight at once against one cluster.</summary>
    [Range(1, 64)]
    public int ApplyConcurrency { get; set; } = 8;

    /// <summary>Clusters pushed at once by the recurring re-check (one batch that loads the desired state once).</summary>
    [Range(1, 64)]
    public int ClusterConcurrency { get; set; } = 8;

    /// <summary>Sync runs kept per cluster.</summary>
    [Range(1, 100_000)]
    public int HistoryDepth { get; set; } = 100;
}
