using System.Text.Json;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>A notification the lifecycle decided to send (routed to channels by <see cref="AlertRouter"/>).</summary>
public sealed record AlertTransition(AlertEntity Alert, NotificationKind Kind);

/// <summary>
/// Pure: one evaluation step. A condition that appears becomes Pending; it fires once it has held for its required observations and
/// time (one Firing notification); while it holds it is re-sent every repeat interval, and at once when its severity rises; when it
/// clears a Firing alert becomes Resolved (a Resolved notification if its firing was sent, even while silenced) and a Pending one is
/// dropped. A silenced alert changes state as usual but sends no firing or repeat; one that fired while silenced is sent when the
/// silence ends.
/// </summary>
public static class AlertLifecycle
{
    public sealed record Result(IReadOnlyList<AlertEntity> Added, IReadOnlyList<AlertEntity> Dropped, IReadOnlyList<AlertTransition> Notifications);

    /// <param name="open">The Pending and Firing alerts (at most one per key); changed in place.</param>
    public static Result Step(IReadOnlyList<AlertCondition> conditions, IReadOnlyList<AlertEntity> open, IReadOnlyList<AlertSilenceEntity> silences,
        DateTimeOffset now, AlertOptions options)
    {
        var byKey = open.ToDictionary(a => a.Key, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<AlertEntity>();
        var dropped = new List<AlertEntity>();
        var notes = new List<AlertTransition>();
        var repeat = options.RepeatIntervalMinutes > 0 ? TimeSpan.FromMinutes(options.RepeatIntervalMinutes) : (TimeSpan?)null;

        foreach (var c in conditions)
        {
            if (!seen.Add(c.Key))
            {
                continue;
            }

            if (!byKey.TryGetValue(c.Key, out var alert))
            {
                alert = new AlertEntity
                {
                    Key = c.Key, Rule = c.Rule, Summary = c.Summary, Cause = c.Cause, Link = c.Link, LabelsJson = "{}", Teams = "",
                    Status = AlertStatus.Pending, FirstSeenAt = now, Observations = 0,
                };
                added.Add(alert);
            }

            var previousSeverity = alert.Severity;
            var wasFiring = alert.Status == AlertStatus.Firing;
            Apply(alert, c, now);
            if (c.Observation is null)
            {
                alert.Observations = Math.Max(alert.Observations, 1);
            }
            else if (alert.LastObservation != c.Observation)
            {
                alert.Observations++;
                alert.LastObservation = c.Observation;
            }

            alert.SilenceId = SilenceMatcher.Matching(silences, alert, now)?.Id;
            if (alert.Status == AlertStatus.Pending && alert.Observations >= c.RequiredObservations && now - alert.FirstSeenAt >= c.For)
            {
                alert.Status = AlertStatus.Firing;
                alert.FiredAt = now;
            }

            if (alert.Status != AlertStatus.Firing || alert.SilenceId is not null)
            {
                continue;
            }

            if (alert.LastNotifiedAt is null)
            {
                notes.Add(new AlertTransition(alert, NotificationKind.Firing));
                alert.LastNotifiedAt = now;
            }
            else if ((wasFiring && alert.Severity > previousSeverity) || (repeat is { } r && now - alert.LastNotifiedAt >= r))
            {
                notes.Add(new AlertTransition(alert, NotificationKind.Repeat));
                alert.LastNotifiedAt = now;
            }
        }

        foreach (var alert in open.Where(a => !seen.Contains(a.Key)))
        {
            if (alert.Status == AlertStatus.Pending)
            {
                dropped.Add(alert);
                continue;
            }

            alert.Status = AlertStatus.Resolved;
            alert.ResolvedAt = now;
            alert.UpdatedAt = now;
            alert.SilenceId = SilenceMatcher.Matching(silences, alert, now)?.Id;

            // Whoever was told it fires is told it resolved, silenced or not: otherwise a receiver (or Alertmanager, until the
            // firing notice's endsAt) would keep showing an outage that is over.
            if (alert.LastNotifiedAt is not null)
            {
                notes.Add(new AlertTransition(alert, NotificationKind.Resolved));
                alert.LastNotifiedAt = now;
            }
        }

        return new Result(added, dropped, notes);
    }

    private static void Apply(AlertEntity alert, AlertCondition c, DateTimeOffset now)
    {
        var labels = JsonSerializer.Serialize(c.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary(l => l.Key, l => l.Value), AlertMessage.Json);
        var hint = c.Hint is null ? null : Clip(c.Hint, 1000);
        var (summary, cause, link, teams) = (Clip(c.Summary, 500), Clip(c.Cause, 2000), Clip(c.Link, 500), Clip(string.Join(",", c.Teams), 1000));
        if (alert.Rule == c.Rule && alert.Severity == c.Severity && alert.Summary == summary && alert.Cause == cause && alert.Hint == hint
            && alert.Link == link && alert.LabelsJson == labels && alert.Teams == teams && alert.Id != 0)
        {
            return; // unchanged: a steady cycle writes nothing for it
        }

        (alert.Rule, alert.Severity, alert.Summary, alert.Cause, alert.Hint, alert.Link, alert.LabelsJson, alert.Teams) =
            (c.Rule, c.Severity, summary, cause, hint, link, labels, teams);
        alert.UpdatedAt = now;
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}

/// <summary>Pure: which active silence (not ended, end time in the future) mutes an alert: every non-empty matcher equal.</summary>
public static class SilenceMatcher
{
    public static bool IsActive(AlertSilenceEntity s, DateTimeOffset now) => s.EndedAt is null && s.EndsAt > now;

    public static AlertSilenceEntity? Matching(IReadOnlyList<AlertSilenceEntity> silences, AlertEntity alert, DateTimeOffset now)
    {
        var labels = AlertMessage.ReadLabels(alert.LabelsJson);
        var teams = AlertMessage.ReadTeams(alert.Teams);
        return silences.Where(s => IsActive(s, now)).OrderBy(s => s.Id).FirstOrDefault(s =>
            Equal(s.Rule, alert.Rule)
            && LabelEqual(s.Cluster, labels, AlertLabels.Cluster, AlertLabels.Source)
            && LabelEqual(s.Namespace, labels, AlertLabels.Namespace)
            && LabelEqual(s.Service, labels, AlertLabels.Service)
            && (string.IsNullOrEmpty(s.Team) || teams.Contains(s.Team, StringComparer.Ordinal)));
    }

    private static bool Equal(string? matcher, string value) => string.IsNullOrEmpty(matcher) || string.Equals(matcher, value, StringComparison.Ordinal);

    private static bool LabelEqual(string? matcher, IReadOnlyDictionary<string, string> labels, params string[] names) =>
        string.IsNullOrEmpty(matcher) || names.Any(n => labels.TryGetValue(n, out var v) && string.Equals(v, matcher, StringComparison.Ordinal));
}

/// <summary>
/// Pure: the channels a notification goes to. A channel without a team (admins) receives everything; a team's channel receives
/// alerts about that team's exports only; severities below the channel's minimum are left out (a Resolved notice follows its Firing).
/// </summary>
public static class AlertRouter
{
    public static IEnumerable<AlertChannelEntity> Route(AlertEntity alert, IReadOnlyList<AlertChannelEntity> channels)
    {
        var teams = AlertMessage.ReadTeams(alert.Teams);
        return channels.Where(c => c.Enabled
            && alert.Severity >= c.MinSeverity
            && (string.IsNullOrEmpty(c.Team) || teams.Contains(c.Team, StringComparer.Ordinal)));
    }
}
