using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace MeshPortal.Web.Components.Pages;

public partial class BackgroundJobs
{
    [Inject] public required JobStorage Storage { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }

    private StatisticsDto? stats;
    private List<RecurringJobDto> recurring = [];
    private DateTimeOffset now;
    private long recentFailed;

    protected override void OnInitialized()
    {
        now = Clock.GetUtcNow();
        stats = Storage.GetMonitoringApi().GetStatistics();
        recentFailed = MeshHealthLoader.RecentFailedJobs(Storage, now);
        using var connection = Storage.GetConnection();
        recurring = connection.GetRecurringJobs();
    }

    private IEnumerable<(string, long, Color)> Tiles() =>
    [
        ("Enqueued", stats!.Enqueued, Color.Default),
        ("Processing", stats.Processing, Color.Info),
        ("Scheduled", stats.Scheduled, Color.Default),
        ("Succeeded", stats.Succeeded, Color.Success),
        // Hangfire keeps failed jobs until someone deletes or retries them: "6 Failed" forever (e.g. for a deleted cluster) is history,
        // so the alarm colour goes to the failures of the last 24 h only (the same count the Overview lists as a problem).
        ("Failed in the last 24 h", recentFailed, recentFailed > 0 ? Color.Error : Color.Default),
        ("Failed, kept in the dashboard", stats.Failed, Color.Default),
        ("Servers", stats.Servers, stats.Servers > 0 ? Color.Success : Color.Error),
    ];

    private static DateTimeOffset? ToOffset(DateTime? utc) => utc is null ? null : new DateTimeOffset(DateTime.SpecifyKind(utc.Value, DateTimeKind.Utc));
}
