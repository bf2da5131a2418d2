using Hangfire;
using MeshPortal.Core.Features.Exports;
using MeshPortal.Core.Features.Topology;
using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Web.ViewModels;

public sealed record MeshHealthSnapshot(MeshHealth Health, IReadOnlyList<TopologyCluster> Clusters, IReadOnlyList<ProbeResultView> Results, bool HasRoot, int Exports);

/// <summary>Loads what <see cref="MeshHealthBuilder"/> judges (clusters, probe results, export consumers, trust, recent job failures).</summary>
public static class MeshHealthLoader
{
    public static readonly TimeSpan JobWindow = TimeSpan.FromHours(24);

    public static async Task<MeshHealthSnapshot> LoadAsync(
        TopologyQueries topology, ExportQueries exports, TrustStatusReader trust, JobStorage? jobs, DateTimeOffset now, CancellationToken ct)
    {
        var (clusters, results) = await topology.SnapshotAsync(ct);
        var exportList = await exports.ListAsync(ct);
        var consumers = exportList
            .SelectMany(e => e.Consumers.Select(c => new HealthConsumer(e.Id, e.Host, e.Cluster, c.Cluster, c.State, c.Message)))
            .ToList();
        var status = await trust.ReadAsync(ct);
        var warnings = status.ExpiryWarnings
            .Select(w => new HealthTrustWarning(w.Subject, w.Expiry.Describe(w.Subject), w.Expiry.Severity >= ExpirySeverity.Critical))
            .ToList();
        var health = MeshHealthBuilder.Build(new MeshHealthInput(clusters, results, consumers, warnings, RecentFailedJobs(jobs, now), now, topology.StaleAfter));
        return new MeshHealthSnapshot(health, clusters, results, status.Root is not null, exportList.Count);
    }

    /// <summary>Jobs that failed in the last 24 h (a failure from last week, e.g. for a deleted cluster, is history, not a problem).</summary>
    public static int RecentFailedJobs(JobStorage? jobs, DateTimeOffset now)
    {
        if (jobs is null)
        {
            return 0;
        }

        var since = (now - JobWindow).UtcDateTime;
        return jobs.GetMonitoringApi().FailedJobs(0, 200).Count(j => j.Value?.FailedAt is { } at && at >= since);
    }
}
