using MeshPortal.Core.Features.Alerts;
using MudBlazor;

namespace MeshPortal.Web.ViewModels;

/// <summary>Pure: how an alert looks on the Alerts page (state label and colours, "since", labels as text).</summary>
public sealed record AlertRowViewModel(AlertView Alert, string State, Color StateColor, Color SeverityColor, string Since, string Labels)
{
    public static AlertRowViewModel From(AlertView a, DateTimeOffset now)
    {
        var state = a.Status == AlertStatus.Resolved ? "Resolved" : a.Silenced ? "Silenced" : a.Status.ToString();
        var stateColor = state switch
        {
            "Firing" => Color.Error,
            "Pending" => Color.Warning,
            "Silenced" => Color.Default,
            _ => Color.Success,
        };
        var severityColor = a.Severity switch
        {
            AlertSeverity.Critical => Color.Error,
            AlertSeverity.Warning => Color.Warning,
            _ => Color.Info,
        };
        var since = a.Status == AlertStatus.Resolved && a.ResolvedAt is { } r
            ? $"resolved {StatusPresentation.Ago(r, now)} (lasted {Duration(r - (a.FiredAt ?? a.FirstSeenAt))})"
            : $"since {StatusPresentation.Ago(a.FiredAt ?? a.FirstSeenAt, now)}";
        return new AlertRowViewModel(a, state, stateColor, severityColor, since, string.Join("  ", a.Labels.Select(l => $"{l.Key}={l.Value}")));
    }

    public static string Duration(TimeSpan t) => t.TotalMinutes < 1 ? $"{(int)t.TotalSeconds} s" : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min" : t.TotalDays < 1 ? $"{t.TotalHours:0.#} h" : $"{t.TotalDays:0.#} d";
}
