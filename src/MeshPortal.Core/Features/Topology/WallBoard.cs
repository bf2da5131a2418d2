using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Topology;

/// <summary>
/// One cluster on the wall screen. <see cref="State"/> colours the whole tile; <see cref="Cause"/> is the root cause pointing at it;
/// every figure carries the time it was observed, and <see cref="ApiStale"/>/<see cref="LinksStale"/> say it is too old to trust.
/// </summary>
public sealed record WallBoardTile(
    string Cluster,
    string State,
    string? Cause,
    bool? ApiReachable,
    DateTimeOffset? CheckedAt,
    bool ApiStale,
    int? InPercent,
    int? OutPercent,
    int Links,
    DateTimeOffset? LinksObservedAt,
    bool LinksStale,
    string Sync,
    DateTimeOffset? TrustNotAfter,
    IReadOnlyList<string> AffectedBy);

public sealed record WallBoard(HealthLevel Level, string Headline, IReadOnlyList<WallBoardTile> Tiles, IReadOnlyList<HealthProblem> Problems, DateTimeOffset GeneratedAt);

/// <summary>The wall screen's view model (pure), built on <see cref="MeshHealth"/> so tiles and problems name the same causes.</summary>
public static class WallBoardBuilder
{
    public const int MaxProblems = 6;

    public static WallBoard Build(MeshHealth health, IReadOnlyList<TopologyCluster> clusters, IReadOnlyList<ProbeResultView> results,
        DateTimeOffset now, TimeSpan staleAfter, TimeSpan checkStaleAfter)
    {
        var tiles = clusters.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c =>
        {
            var mine = results.Where(r => r.Source == c.Name || r.Target == c.Name).Where(r => r.Status != ProbeStatus.Unsupported).ToList();
            var fresh = mine.Where(r => now - r.ObservedAt <= staleAfter).ToList();
            var inPct = Percent(fresh.Where(r => r.Target == c.Name));
            var outPct = Percent(fresh.Where(r => r.Source == c.Name));
            var apiStale = c.LastCheckedAt is null || now - c.LastCheckedAt > checkStaleAfter;
            var linksStale = mine.Count > 0 && fresh.Count == 0;
            var cause = health.CauseOf(c.Name) ?? (c.Sync == "Failed" ? "sync failed" : null);

            // Outbound failures that another cluster's cause explains make this tile amber ("affected by"), not a second red culprit.
            var failingOut = fresh.Where(r => r.Source == c.Name && MeshHealthBuilder.IsFailing(r)).ToList();
            var affectedBy = failingOut.Select(r => r.Target).Where(t => t != c.Name && health.CauseOf(t) is not null).Distinct().Order(StringComparer.Ordinal).ToList();
            var explained = failingOut.Count > 0 && failingOut.All(r => affectedBy.Contains(r.Target));
            var state = c.ApiReachable == false || cause is not null || inPct == 0 || (outPct == 0 && !explained) ? TopologyStates.Failing
                : inPct < 100 || outPct < 100 ? TopologyStates.Partial
                : linksStale || (apiStale && c.ApiReachable is not null) ? TopologyStates.Stale
                : c.ApiReachable == true ? TopologyStates.Ok
                : TopologyStates.Unknown;
            return new WallBoardTile(c.Name, state, cause, c.ApiReachable, c.LastCheckedAt, apiStale, inPct, outPct, mine.Count,
                mine.Count == 0 ? null : mine.Max(r => r.ObservedAt), linksStale, c.Sync, c.TrustNotAfter, affectedBy);
        }).ToList();
        return new WallBoard(health.Level, health.Headline, tiles, [.. health.Problems.Take(MaxProblems)], now);
    }

    /// <summary>Share of OK among the fresh results that are not Unknown; null when there is nothing to judge.</summary>
    public static int? Percent(IEnumerable<ProbeResultView> results)
    {
        var judged = results.Where(r => r.Status != ProbeStatus.Unknown).ToList();
        return judged.Count == 0 ? null : (int)Math.Round(100.0 * judged.Count(r => r.Status == ProbeStatus.Ok) / judged.Count);
    }
}
