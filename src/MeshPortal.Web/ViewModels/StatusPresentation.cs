using MeshPortal.Core.Features.Clusters;
using MudBlazor;

namespace MeshPortal.Web.ViewModels;

/// <summary>Colours, icons and words for statuses, in one place.</summary>
public static class StatusPresentation
{
    public static Color ColorOf(ClusterStatus status) => status switch
    {
        ClusterStatus.Connected => Color.Success,
        ClusterStatus.Stale => Color.Default,
        ClusterStatus.Unknown => Color.Default,
        ClusterStatus.Degraded => Color.Warning,
        ClusterStatus.Unreachable => Color.Error,
        _ => Color.Default,
    };

    public static string IconOf(ClusterStatus status) => status switch
    {
        ClusterStatus.Connected => Icons.Material.Filled.CheckCircle,
        ClusterStatus.Stale => Icons.Material.Filled.Schedule,
        ClusterStatus.Unknown => Icons.Material.Filled.HelpOutline,
        ClusterStatus.Degraded => Icons.Material.Filled.Warning,
        ClusterStatus.Unreachable => Icons.Material.Filled.Error,
        _ => Icons.Material.Filled.HelpOutline,
    };

    public static Color ColorOf(CheckResult result) => result switch
    {
        CheckResult.Pass => Color.Success,
        CheckResult.Fail => Color.Error,
        _ => Color.Default,
    };

    public static string IconOf(CheckResult result) => result switch
    {
        CheckResult.Pass => Icons.Material.Filled.CheckCircle,
        CheckResult.Fail => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.RemoveCircleOutline,
    };

    /// <summary>"just now", "5 min ago", "3 h ago", "2 d ago".</summary>
    public static string Ago(DateTimeOffset? when, DateTimeOffset now)
    {
        if (when is null)
        {
            return "never";
        }

        var age = now - when.Value;
        return age switch
        {
            { TotalSeconds: < 45 } => "just now",
            { TotalMinutes: < 60 } => $"{Math.Max(1, (int)Math.Round(age.TotalMinutes))} min ago",
            { TotalHours: < 48 } => $"{(int)age.TotalHours} h ago",
            _ => $"{(int)age.TotalDays} d ago",
        };
    }
}
