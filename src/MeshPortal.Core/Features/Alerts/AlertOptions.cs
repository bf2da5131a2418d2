namespace MeshPortal.Core.Features.Alerts;

/// <summary><c>MeshPortal:Alerts</c>: thresholds of the conditions and the notification lifecycle, each with a sensible default.</summary>
public sealed class AlertOptions
{
    public const string Section = "MeshPortal:Alerts";

    /// <summary>Cron of the evaluation job (default every minute); empty disables evaluation (channels still send tests).</summary>
    public string? Cron { get; set; } = "* * * * *";

    /// <summary>A link (source cluster → exported host) fires after this many consecutive failing probes.</summary>
    public int LinkFailingProbes { get; set; } = 3;

    /// <summary>A cluster whose connection check cannot reach its API fires after this many minutes.</summary>
    public int ClusterUnreachableMinutes { get; set; } = 5;

    /// <summary>A cluster whose last this-many pushes all failed fires.</summary>
    public int PushFailures { get; set; } = 3;

    /// <summary>An export consumer that is Failed (or any state other than Synced/Pending) fires after this many minutes.</summary>
    public int ConsumerFailedMinutes { get; set; } = 0;

    /// <summary>While an alert holds, it is sent again after this many minutes (0 = never repeat).</summary>
    public int RepeatIntervalMinutes { get; set; } = 240;

    /// <summary>This many failing links sharing a cluster become one alert naming the common cause.</summary>
    public int GroupMinimum { get; set; } = 2;

    /// <summary>Resolved alerts and delivered notifications older than this are deleted.</summary>
    public int HistoryDays { get; set; } = 30;

    /// <summary>How often the dispatcher looks for notifications to deliver.</summary>
    public int DeliveryPollMilliseconds { get; set; } = 2000;

    /// <summary>Delivery attempts per notification before it is given up (back-off doubles from <see cref="RetryBaseSeconds"/>).</summary>
    public int MaxAttempts { get; set; } = 12;

    public int RetryBaseSeconds { get; set; } = 5;

    /// <summary>Longest pause between two attempts.</summary>
    public int RetryMaxSeconds { get; set; } = 600;

    /// <summary>Timeout of one delivery request.</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 10;

    /// <summary>The portal's public address, so links in notifications are absolute (e.g. https://meshportal.example.com).</summary>
    public string? PortalUrl { get; set; }
}
