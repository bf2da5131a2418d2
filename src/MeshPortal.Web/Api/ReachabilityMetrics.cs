using System.Globalization;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using Prometheus;

namespace MeshPortal.Web.Api;

/// <summary>
/// Per-link probe results at <c>/metrics</c>, read from the latest results when scraped: success (1 OK, 0 failing; no sample
/// while unknown or stale), latency, and the observation time. Labels: source (consumer cluster), target (exporting cluster),
/// host, port.
/// </summary>
internal static class ReachabilityMetrics
{
    private static readonly string[] Labels = ["source", "target", "host", "port"];

    private static readonly Gauge Success = Metrics.CreateGauge(
        "meshportal_probe_success", "1 when the latest probe of the link was OK, 0 when it failed (absent while unknown or stale).", Labels);

    private static readonly Gauge Latency = Metrics.CreateGauge(
        "meshportal_probe_latency_seconds", "curl time_total of the latest OK probe of the link.", Labels);

    private static readonly Gauge Observed = Metrics.CreateGauge(
        "meshportal_probe_last_observed_timestamp_seconds", "Unix time of the latest probe result of the link (any class).", Labels);

    private static int registered;

    public static void Register(IServiceProvider services)
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }

        Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            var queries = services.GetRequiredService<TopologyQueries>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            Publish(await queries.LatestResultsAsync(ct), now, queries.StaleAfter);
        });
    }

    private static void Publish(IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter)
    {
        static string[] Key(ProbeResultView r) => [r.Source, r.Target, r.Host, r.Port.ToString(CultureInfo.InvariantCulture)];
        var judged = results.Where(r => now - r.ObservedAt <= staleAfter && r.Status != ProbeStatus.Unknown).ToList();
        var ok = judged.Where(r => r.Status == ProbeStatus.Ok && r.LatencyMs is not null).ToList();
        Prune(Success, judged.Select(Key).ToList());
        Prune(Latency, ok.Select(Key).ToList());
        Prune(Observed, results.Select(Key).ToList());
        foreach (var r in judged)
        {
            Success.WithLabels(Key(r)).Set(r.Status == ProbeStatus.Ok ? 1 : 0);
        }

        foreach (var r in ok)
        {
            Latency.WithLabels(Key(r)).Set(r.LatencyMs!.Value / 1000);
        }

        foreach (var r in results)
        {
            Observed.WithLabels(Key(r)).Set(r.ObservedAt.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    private static void Prune(Gauge gauge, List<string[]> keep)
    {
        var wanted = keep.Select(k => string.Join('\u001f', k)).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in gauge.GetAllLabelValues().Where(l => !wanted.Contains(string.Join('\u001f', l))).ToList())
        {
            gauge.RemoveLabelled(stale);
        }
    }
}
