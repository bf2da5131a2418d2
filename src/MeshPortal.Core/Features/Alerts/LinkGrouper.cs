using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>Failing links that share one likely cause: every link to one exporting cluster, or every link from one consumer.</summary>
public sealed record LinkGroup(LinkGroupScope Scope, int ClusterId, IReadOnlyList<LinkFact> Links)
{
    public ProbeStatus DominantStatus => Links.GroupBy(l => l.Status).OrderByDescending(g => g.Count()).ThenByDescending(g => (int)g.Key).First().Key;
}

public enum LinkGroupScope
{
    /// <summary>One link on its own.</summary>
    Single,

    /// <summary>Links into one exporting cluster (its ingress gateway, its services, its trust).</summary>
    Target,

    /// <summary>Links out of one consumer cluster (its DNS, its probe pod, its sidecar).</summary>
    Source,
}

/// <summary>
/// Pure: puts failing links into groups so that one broken gateway that breaks 40 links is one alert. Greedy: the largest set of
/// links sharing a target or a source cluster first (at least <c>minimum</c>); ties go to the side the failure class points at
/// (DNS and a missing probe pod are the consumer's, everything else the exporter's); what is left stays single.
/// </summary>
public static class LinkGrouper
{
    public static IReadOnlyList<LinkGroup> Group(IReadOnlyList<LinkFact> failing, int minimum)
    {
        var left = failing.ToList();
        var groups = new List<LinkGroup>();
        minimum = Math.Max(2, minimum);
        while (left.Count > 0)
        {
            var best = left.GroupBy(l => (Scope: LinkGroupScope.Target, Id: l.TargetClusterId))
                .Concat(left.GroupBy(l => (Scope: LinkGroupScope.Source, Id: l.SourceClusterId)))
                .Select(g => (g.Key.Scope, g.Key.Id, Links: g.ToList()))
                .OrderByDescending(g => g.Links.Count)
                .ThenByDescending(g => PointsAt(g.Links) == g.Scope ? 1 : 0)
                .ThenBy(g => g.Id)
                .First();
            if (best.Links.Count < minimum)
            {
                break;
            }

            groups.Add(new LinkGroup(best.Scope, best.Id, Ordered(best.Links)));
            var taken = best.Links.ToHashSet();
            left.RemoveAll(taken.Contains);
        }

        groups.AddRange(Ordered(left).Select(l => new LinkGroup(LinkGroupScope.Single, l.TargetClusterId, [l])));
        return groups;
    }

    /// <summary>Which side a set of failures points at by its most common class.</summary>
    public static LinkGroupScope PointsAt(IReadOnlyList<LinkFact> links)
    {
        var dominant = links.GroupBy(l => l.Status).OrderByDescending(g => g.Count()).First().Key;
        return dominant is ProbeStatus.Dns or ProbeStatus.ProbePodMissing ? LinkGroupScope.Source : LinkGroupScope.Target;
    }

    private static List<LinkFact> Ordered(IEnumerable<LinkFact> links) =>
        [.. links.OrderBy(l => l.SourceClusterId).ThenBy(l => l.Host, StringComparer.Ordinal).ThenBy(l => l.Port)];
}
