using Hangfire;

namespace MeshPortal.Core.Features.Probes;

/// <summary>"Probe now": enqueues a cycle (fan-out) right away.</summary>
public sealed class ProbeScheduler(IBackgroundJobClient jobs)
{
    public string RunNow() => jobs.Enqueue<ProbeJob>(j => j.RunAllAsync(CancellationToken.None));

    /// <summary>Probes from one consumer cluster only.</summary>
    public string RunCluster(int clusterId) => jobs.Enqueue<ProbeJob>(j => j.RunClusterAsync(clusterId, CancellationToken.None));

    /// <summary>Probes one export from each of its consumer clusters.</summary>
    public string RunExport(int exportId) => jobs.Enqueue<ProbeJob>(j => j.RunExportAsync(exportId, CancellationToken.None));
}

