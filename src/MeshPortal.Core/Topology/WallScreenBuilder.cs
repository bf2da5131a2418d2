using MeshPortal.Core.Probes;

namespace MeshPortal.Core.Topology;

public sealed record WallTile(string Cluster, string State, bool? ApiReachable, string? IstioVersion, string Sync, DateTimeOffset? TrustNotAfter,
    int? InPercent, int? OutPercent);

public sealed record WallProblem(string Source, string Target, string Host, int Port, ProbeStatus Status, string? Message, string? Hint, DateTimeOffset ObservedAt);

public sealed record WallSummary(int Clusters, int ApisReachable, int Links, int LinksOk, int LinksFailing, int LinksUnknown);

public sealed record WallScreen(WallSummary Summary, IReadOnlyList<WallTile> Tiles, IReadOnlyList<WallProblem> Problems, DateTimeOffset GeneratedAt);

/// <summary>The wall screen's view model (pure): one tile per cluster, a mesh summary, and the worst current problems.</summary>
public static class WallScreenBuilder
{
    public const int MaxProblems = 6;

    public static WallScreen Build(TopologyGraph graph, IReadOnlyList<ProbeResultView> results, DateTimeOffset now, TimeSpan staleAfter)
    {
        var fresh = results.Where(r => now - r.ObservedAt <= staleAfter).ToList();
        var tiles = graph.Nodes.Select(n => new WallTile(n.Label, n.State, n.ApiReachable, n.IstioVersion, n.Sync, n.TrustNotAfter,
            Percent(fresh.Where(r => r.Target == n.Label)), Percent(fresh.Where(r => r.Source == n.Label)))).ToList();
        var problems = fresh.Where(r => ProbeStatuses.IsFailure(r.Status))
            .OrderByDescending(r => ProbeStatuses.Severity(r.Status)).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Host, StringComparer.Ordinal)
            .Take(MaxProblems)
            .Select(r => new WallProblem(r.Source, r.Target, r.Host, r.Port, r.Status, r.Message, r.Hint, r.ObservedAt))
            .ToList();
        var summary = new WallSummary(graph.Nodes.Count, graph.Nodes.Count(n => n.ApiReachable == true), results.Count,
            fresh.Count(r => r.Status == ProbeStatus.Ok), fresh.Count(r => ProbeStatuses.IsFailure(r.Status)),
            results.Count - fresh.Count(r => r.Status == ProbeStatus.Ok || ProbeStatuses.IsFailure(r.Status)));
        return new WallScreen(summary, tiles, problems, now);
    }

    /// <summary>Share of OK among the fresh results that are not Unknown; null when there is nothing to judge.</summary>
    public static int? Percent(IEnumerable<ProbeResultView> results)
    {
        var judged = results.Where(r => r.Status != ProbeStatus.Unknown).ToList();
        return judged.Count == 0 ? null : (int)Math.Round(100.0 * judged.Count(r => r.Status == ProbeStatus.Ok) / judged.Count);
    }
}
