using MeshPortal.Core.Features.Clusters;
using Prometheus;

namespace MeshPortal.Web.Health;

/// <summary>
/// Prometheus metrics at <c>/metrics</c> (signed-in users or API tokens, like the rest of the API). Gauges are computed
/// from the database when scraped, so they are never stale and cost nothing between scrapes.
/// </summary>
internal static class PortalMetrics
{
    private static readonly Gauge Clusters = Metrics.CreateGauge(
        "meshportal_clusters", "Registered clusters by connection status.", "status");

    private static readonly Gauge LastCheckAge = Metrics.CreateGauge(
        "meshportal_cluster_last_check_age_seconds", "Seconds since each cluster's last connection check.", "cluster");

    public static void Register(IServiceProvider services)
    {
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true });
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            await using var scope = services.CreateAsyncScope();
            var clusters = await scope.ServiceProvider.GetRequiredService<ClusterQueries>().ListAsync(ct);
            foreach (var status in Enum.GetValues<ClusterStatus>())
            {
                Clusters.WithLabels(status.ToString()).Set(clusters.Count(c => c.StatusAt(now) == status));
            }

            foreach (var stale in LastCheckAge.GetAllLabelValues().Where(l => clusters.All(c => c.Name != l[0])).ToList())
            {
                LastCheckAge.RemoveLabelled(stale);
            }

            foreach (var c in clusters.Where(c => c.LastCheckedAt is not null))
            {
                LastCheckAge.WithLabels(c.Name).Set((now - c.LastCheckedAt!.Value).TotalSeconds);
            }
        });
    }
}
