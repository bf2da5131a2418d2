using MeshPortal.Core.Features.Alerts;
using Prometheus;

namespace MeshPortal.Web.Health;

/// <summary>
/// Alerting at <c>/metrics</c>, read when scraped (two queries): open alerts by state and severity, and per channel the
/// notifications not delivered yet and those given up, so Prometheus can alert when MeshPortal's own notifications stop arriving.
/// </summary>
internal static class AlertMetrics
{
    private static readonly Gauge Open = Metrics.CreateGauge(
        "meshportal_alerts", "MeshPortal's own alerts that are open, by state (firing, silenced, pending) and severity.", "state", "severity");

    private static readonly Gauge Undelivered = Metrics.CreateGauge(
        "meshportal_alert_notifications_undelivered", "Notifications queued or being retried, per channel.", "channel");

    private static readonly Gauge GivenUp = Metrics.CreateGauge(
        "meshportal_alert_notifications_given_up", "Notifications whose attempts ran out (kept for the history), per channel.", "channel");

    public static void Register(IServiceProvider services)
    {
        Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            var reading = await services.GetRequiredService<AlertQueries>().GaugesAsync(ct);
            var open = reading.Open;
            foreach (var state in new[] { "firing", "silenced", "pending" })
            {
                foreach (var severity in Enum.GetValues<AlertSeverity>())
                {
                    Open.WithLabels(state, severity.ToString().ToLowerInvariant()).Set(open.Count(a => a.Severity == severity && state switch
                    {
                        "firing" => a.Status == AlertStatus.Firing && !a.Silenced,
                        "silenced" => a.Silenced,
                        _ => a.Status == AlertStatus.Pending && !a.Silenced,
                    }));
                }
            }

            var channels = reading.Channels;
            foreach (var gauge in new[] { Undelivered, GivenUp })
            {
                foreach (var gone in gauge.GetAllLabelValues().Where(l => channels.All(c => c.Channel != l[0])).ToList())
                {
                    gauge.RemoveLabelled(gone);
                }
            }

            foreach (var c in channels)
            {
                Undelivered.WithLabels(c.Channel).Set(c.Undelivered);
                GivenUp.WithLabels(c.Channel).Set(c.GivenUp);
            }
        });
    }
}
