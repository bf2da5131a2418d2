using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Platform.Persistence;

namespace MeshPortal.Core.Features.Topology;

/// <summary>The light columns of one latest probe result: enough to filter, order, count and cut a page without reading messages and hints.</summary>
public sealed record ResultHeader(long Id, int SourceClusterId, string Source, int TargetClusterId, string Target, int ExportId, string Host, int Port,
    ProbeStatus Status, DateTimeOffset ObservedAt);

/// <summary>
/// What the Reachability page asks for: a text filter (or the keywords <c>failing</c> — a fresh failure other than Unsupported — and
/// <c>stale</c>), a cluster at either end, one export's links, and a numbered page.
/// </summary>
public sealed record ResultWindowQuery(string? Filter = null, string? Cluster = null, int? ExportId = null, int? Page = null, int? Size = null,
    DateTimeOffset? FreshSince = null);

/// <summary>One page of results plus the counts the page states: all results, matching ones, fresh OK among the matching, and results since a time.</summary>
public sealed record ResultWindowPage(IReadOnlyList<ProbeResultView> Items, PageWindow Window, int All, int MatchingOk, int FreshSince, bool AllFreshSince);

/// <summary>
/// Filters and orders latest results for the Reachability page, worst first (by class severity), then by consumer cluster and link, the order the
/// page always had. Pure: the query reads the light columns, this picks the page, the query loads only its rows in full.
/// </summary>
public static class ResultWindow
{
    public static bool Matches(ResultHeader r, bool stale, string? filter) => filter?.Trim().ToLowerInvariant() switch
    {
        null or "" => true,
        "failing" => !stale && ProbeStatuses.IsFailure(r.Status) && r.Status != ProbeStatus.Unsupported,
        "stale" => stale,
        var text => r.Source.Contains(text, StringComparison.OrdinalIgnoreCase)
            || r.Target.Contains(text, StringComparison.OrdinalIgnoreCase)
            || r.Host.Contains(text, StringComparison.OrdinalIgnoreCase)
            || r.Status.ToString().Contains(text, StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>The matching results in page order, and the window over them.</summary>
    public static (IReadOnlyList<ResultHeader> Page, PageWindow Window, int MatchingOk) Select(IReadOnlyList<ResultHeader> all, ResultWindowQuery q, DateTimeOffset now, TimeSpan staleAfter)
    {
        var cluster = q.Cluster?.Trim();
        var matching = all
            .Where(r => string.IsNullOrEmpty(cluster) || r.Source == cluster || r.Target == cluster)
            .Where(r => q.ExportId is not { } id || r.ExportId == id)
            .Where(r => Matches(r, now - r.ObservedAt > staleAfter, q.Filter))
            .OrderByDescending(r => ProbeStatuses.Severity(r.Status))
            .ThenBy(r => r.Source, StringComparer.Ordinal)
            .ThenBy(r => r.Host, StringComparer.Ordinal)
            .ThenBy(r => r.Port)
            .ToList();
        var window = PageWindow.Of(q.Page, q.Size, matching.Count);
        var ok = matching.Count(r => r.Status == ProbeStatus.Ok && now - r.ObservedAt <= staleAfter);
        return ([.. matching.Skip(window.Offset).Take(window.Size)], window, ok);
    }
}

/// <summary>How one export's links fare: fresh OK, fresh failing (Unsupported apart), stale, and the rest (Unknown or Unsupported, fresh).</summary>
public sealed record ExportLinkHealth(int Ok, int Failing, int Stale, int Other)
{
    public static readonly ExportLinkHealth None = new(0, 0, 0, 0);

    public int Total => Ok + Failing + Stale + Other;

    /// <summary>Rolls up the latest results of one export by the Reachability page's own rules for "failing" and "stale".</summary>
    public static ExportLinkHealth Of(IEnumerable<(ProbeStatus Status, DateTimeOffset ObservedAt)> results, DateTimeOffset now, TimeSpan staleAfter)
    {
        int ok = 0, failing = 0, stale = 0, other = 0;
        foreach (var (status, at) in results)
        {
            if (now - at > staleAfter)
            {
                stale++;
            }
            else if (status == ProbeStatus.Ok)
            {
                ok++;
            }
            else if (ProbeStatuses.IsFailure(status) && status != ProbeStatus.Unsupported)
            {
                failing++;
            }
            else
            {
                other++;
            }
        }

        return new ExportLinkHealth(ok, failing, stale, other);
    }
}
