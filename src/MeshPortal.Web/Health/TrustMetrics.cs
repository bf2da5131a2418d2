using MeshPortal.Core.Features.Trust;
using Prometheus;

namespace MeshPortal.Web.Health;

/// <summary>
/// Trust expiry at <c>/metrics</c>, computed from the trust status when scraped: seconds to not-after of the mesh root
/// (and the next root during a rotation) and of each cluster's intermediate CA, and the warning level against the
/// configured thresholds (0 ok, 1 notice ≤60 d, 2 warning ≤30 d, 3 critical ≤7 d, 4 expired).
/// </summary>
internal static class TrustMetrics
{
    public const string RootExpiryName = "meshportal_trust_root_expiry_seconds";
    public const string IntermediateExpiryName = "meshportal_trust_intermediate_expiry_seconds";
    public const string WarningLevelName = "meshportal_trust_expiry_warning_level";

    private static readonly Gauge RootExpiry = Metrics.CreateGauge(
        RootExpiryName, "Seconds until the mesh root CA expires (negative when expired).", "state", "fingerprint");

    private static readonly Gauge IntermediateExpiry = Metrics.CreateGauge(
        IntermediateExpiryName, "Seconds until each cluster's intermediate CA expires (negative when expired).", "cluster");

    private static readonly Gauge WarningLevel = Metrics.CreateGauge(
        WarningLevelName,
        "Expiry warning level per CA: 0 ok, 1 within the first threshold (60 days), 2 the second (30), 3 the last (7), 4 expired.",
        "kind", "name");

    public static void Register(IServiceProvider services)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            await using var scope = services.CreateAsyncScope();
            var status = await scope.ServiceProvider.GetRequiredService<TrustStatusReader>().ReadAsync(ct);
            Publish(Samples(status));
        });
    }

    /// <summary>Pure: every sample (gauge name, label values, value) the status yields.</summary>
    public static IReadOnlyList<(string Gauge, string[] Labels, double Value)> Samples(TrustStatus status)
    {
        var samples = new List<(string, string[], double)>();
        foreach (var r in new[] { status.Root, status.NextRoot }.OfType<TrustRootView>())
        {
            var state = r.State == RootState.Next ? "next" : "active";
            samples.Add((RootExpiryName, [state, r.FingerprintSha256], Seconds(r.NotAfter, status.ObservedAt)));
            samples.Add((WarningLevelName, ["root", state], (int)r.Expiry.Severity));
        }

        foreach (var c in status.Clusters.Where(c => c.NotAfter is not null && c.Expiry is not null))
        {
            samples.Add((IntermediateExpiryName, [c.Cluster], Seconds(c.NotAfter!.Value, status.ObservedAt)));
            samples.Add((WarningLevelName, ["intermediate", c.Cluster], (int)c.Expiry!.Severity));
        }

        return samples;
    }

    private static void Publish(IReadOnlyList<(string Gauge, string[] Labels, double Value)> samples)
    {
        foreach (var gauge in new[] { RootExpiry, IntermediateExpiry, WarningLevel })
        {
            var keep = samples.Where(s => s.Gauge == gauge.Name).Select(s => s.Labels).ToList();
            foreach (var stale in gauge.GetAllLabelValues().Where(l => !keep.Any(k => k.SequenceEqual(l))).ToList())
            {
                gauge.RemoveLabelled(stale);
            }

            foreach (var (_, labels, value) in samples.Where(s => s.Gauge == gauge.Name))
            {
                gauge.WithLabels(labels).Set(value);
            }
        }
    }

    private static double Seconds(DateTimeOffset notAfter, DateTimeOffset now) => Math.Round((notAfter - now).TotalSeconds);
}
