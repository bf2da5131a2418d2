using System.ComponentModel.DataAnnotations;
using MeshPortal.Core.Platform.Configuration;

namespace MeshPortal.Core.Features.Alerts;

/// <summary><c>MeshPortal:Alerts</c>: thresholds of the conditions and the notification lifecycle, each with a sensible default.</summary>
public sealed class AlertOptions
{
    public const string Section = "MeshPortal:Alerts";

    /// <summary>Cron of the evaluation job (default every minute); empty disables evaluation (channels still send tests).</summary>
    [Cron]
    public string? Cron { get; set; } = "* * * * *";

    /// <summary>A link (source cluster → exported host) fires after this many consecutive failing probes.</summary>
    [Range(1, 1_000)]
    public int LinkFailingProbes { get; set; } = 3;

    /// <summary>A cluster whose connection check cannot reach its API fires after this many minutes.</summary>
    [Range(0, 10_080)]
    public int ClusterUnreachableMinutes { get; set; } = 5;

    /// <summary>A cluster whose last this-many pushes all failed fires.</summary>
    [Range(1, 1_000)]
    public int PushFailures { get; set; } = 3;

    /// <summary>An export consumer that is Failed (or any state other than Synced/Pending) fires after this many minutes.</summary>
    [Range(0, 10_080)]
    public int ConsumerFailedMinutes { get; set; } = 0;

    /// <summary>While an alert holds, it is sent again after this many minutes (0 = never repeat).</summary>
    [Range(0, 525_600)]
    public int RepeatIntervalMinutes { get; set; } = 240;

    /// <summary>This many failing links sharing a cluster become one alert naming the common cause.</summary>
    [Range(1, 1_000)]
    public int GroupMinimum { get; set; } = 2;

    /// <summary>Resolved alerts and delivered notifications older than this are deleted.</summary>
    [Range(1, 3_650)]
    public int HistoryDays { get; set; } = 30;

    /// <summary>How often the dispatcher looks for notifications to deliver.</summary>
    [Range(10, 600_000)]
    public int DeliveryPollMilliseconds { get; set; } = 2000;

    /// <summary>Delivery attempts per notification before it is given up (back-off doubles from <see cref="RetryBaseSeconds"/>).</summary>
    [Range(1, 10_000)]
    public int MaxAttempts { get; set; } = 12;

    [Range(1, 86_400)]

    public int RetryBaseSeconds { get; set; } = 5;

    /// <summary>Longest pause between two attempts.</summary>
    [Range(1, 86_400)]
    public int RetryMaxSeconds { get; set; } = 600;

    /// <summary>Timeout of one delivery request.</summary>
    [Range(1, 300)]
    public int DeliveryTimeoutSeconds { get; set; } = 10;

    /// <summary>The portal's public address, so links in notifications are absolute (e.g. https://meshportal.example.com).</summary>
    [Url]
    public string? PortalUrl { get; set; }
}
