using System.Globalization;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Topology;
using MudBlazor;

namespace MeshPortal.Web.ViewModels;

/// <summary>One row of the Reachability page.</summary>
public sealed record ReachabilityRow(
    string Source, string Target, string Link, ProbeStatus Status, string StatusLabel, Color Color, string Http, string Latency,
    DateTimeOffset ObservedAt, string Age, bool Stale, string? Message, string? Hint);

/// <summary>Pure mapping of probe results and topology states to what the pages show (labels, colours, ages).</summary>
public static class ProbePresentation
{
    public static IReadOnlyList<ReachabilityRow> Rows(IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter, string? filter) =>
        [.. results
            .Select(r => (r, stale: now - r.ObservedAt > staleAfter))
            .Where(x => Matches(x.r, x.stale, filter))
            .Select(x =>
            {
                var (r, stale) = x;
                return new ReachabilityRow(r.Source, r.Target, $"{r.Host}:{r.Port}", r.Status, Label(r.Status), stale ? Color.Default : ChipColor(r.Status),
                    r.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "—",
                    r.LatencyMs is { } ms && r.Status == ProbeStatus.Ok ? $"{ms:0} ms" : "—",
                    r.ObservedAt, Age(now - r.ObservedAt), stale, r.Message, r.Hint);
            })
            .OrderByDescending(r => ProbeStatuses.Severity(r.Status)).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Link, StringComparer.Ordinal)];

    /// <summary>Text filter; the keywords "failing" (a fresh failure other than Unsupported) and "stale" select by state.</summary>
    public static bool Matches(ProbeResultView r, bool stale, string? filter) => filter?.Trim().ToLowerInvariant() switch
    {
        "failing" => !stale && ProbeStatuses.IsFailure(r.Status) && r.Status != ProbeStatus.Unsupported,
        "stale" => stale,
        _ => Matches(r, filter),
    };

    public static bool Matches(ProbeResultView r, string? filter) =>
        string.IsNullOrWhiteSpace(filter)
        || r.Source.Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase)
        || r.Host.Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase)
        || r.Status.ToString().Contains(filter.Trim(), StringComparison.OrdinalIgnoreCase);

    public static string Label(ProbeStatus status) => status switch
    {
        ProbeStatus.Ok => "OK",
        ProbeStatus.Dns => "DNS",
        ProbeStatus.Connect => "Connect",
        ProbeStatus.Tls => "TLS",
        ProbeStatus.NoUpstream => "No upstream",
        ProbeStatus.NotFound => "404",
        ProbeStatus.ProbePodMissing => "Probe pod missing",
        ProbeStatus.Unsupported => "Unsupported",
        ProbeStatus.RbacDenied => "RBAC denied",
        _ => "Unknown",
    };

    public static Color ChipColor(ProbeStatus status) => status switch
    {
        ProbeStatus.Ok => Color.Success,
        ProbeStatus.Unknown => Color.Default,
        ProbeStatus.ProbePodMissing or ProbeStatus.Unsupported => Color.Warning,
        _ => Color.Error,
    };

    /// <summary>SVG/CSS colour of a topology state: green ok, amber partial, red failing, grey unknown or stale.</summary>
    public static string StateColor(string state) => state switch
    {
        TopologyStates.Ok => "#2e7d32",
        TopologyStates.Partial => "#ef8f00",
        TopologyStates.Failing => "#c62828",
        _ => "#8a94a3",
    };

    public static string StateLabel(string state) => state switch
    {
        TopologyStates.Ok => "all OK",
        TopologyStates.Partial => "partly failing",
        TopologyStates.Failing => "failing",
        TopologyStates.Stale => "stale",
        _ => "unknown",
    };

    public static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 5 => "just now",
        < 90 => $"{(int)age.TotalSeconds} s ago",
        < 5400 => $"{(int)age.TotalMinutes} min ago",
        < 172800 => $"{(int)age.TotalHours} h ago",
        _ => $"{(int)age.TotalDays} d ago",
    };

    /// <summary>"Probe now" is done when every result was observed after it started (or there is nothing to probe).</summary>
    public static bool CycleDone(IReadOnlyList<ProbeResultView> results, DateTimeOffset started) =>
        results.Count > 0 && results.All(r => r.ObservedAt >= started);
}
