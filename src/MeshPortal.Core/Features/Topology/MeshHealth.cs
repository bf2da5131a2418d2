using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;

namespace MeshPortal.Core.Features.Topology;

/// <summary>One export consumer's sync state, as the health view needs it.</summary>
public sealed record HealthConsumer(int ExportId, string Host, string Exporter, string Consumer, ObjectSyncState State, string? Message);

/// <summary>A certificate that expires soon (or has); <see cref="Critical"/> for expired or the last threshold.</summary>
public sealed record HealthTrustWarning(string Subject, string Text, bool Critical);

/// <summary>Everything the at-a-glance views judge, loaded by <see cref="TopologyQueries"/>.</summary>
public sealed record MeshHealthInput(
    IReadOnlyList<TopologyCluster> Clusters,
    IReadOnlyList<ProbeResultView> Results,
    IReadOnlyList<HealthConsumer> Consumers,
    IReadOnlyList<HealthTrustWarning> Trust,
    int RecentFailedJobs,
    DateTimeOffset Now,
    TimeSpan StaleAfter);

public enum HealthLevel
{
    /// <summary>No cluster is registered.</summary>
    Empty,
    Healthy,

    /// <summary>Nothing is down, but something needs attention soon (expiring trust, failed jobs, stale data).</summary>
    Warning,
    Failing,
}

/// <summary>Root causes, most fundamental first (the order the views list them in).</summary>
public enum ProblemKind
{
    ClusterUnreachable,
    GatewayUnreachable,
    SourceBroken,
    LinkFailing,
    SyncFailed,
    TrustExpiring,
    JobsFailing,
}

/// <summary>
/// One root cause with everything it explains: <see cref="Links"/> failing links and <see cref="Syncs"/> failed export syncs are
/// counted here and nowhere else. <see cref="Href"/> is where it is fixed; <see cref="ObservedAt"/> the age of its newest evidence.
/// </summary>
public sealed record HealthProblem(
    ProblemKind Kind,
    string Subject,
    string Title,
    string Detail,
    string Href,
    int Links,
    int Syncs,
    bool Critical,
    DateTimeOffset? ObservedAt,
    IReadOnlyList<string> Items);

/// <summary>Not a failure, worth knowing (pairs the model cannot carry, links without fresh results).</summary>
public sealed record HealthInfo(string Title, string Href);

public sealed record HealthCounters(
    int Clusters,
    int ApisUp,
    int ApisDown,
    int ApisUnchecked,
    int Links,
    int LinksOk,
    int LinksFailing,
    int LinksStale,
    int LinksUnsupported,
    int Consumers,
    int ConsumersSynced,
    int ConsumersPending,
    int ConsumersFailed,
    int ConsumersUnsupported);

public sealed record MeshHealth(
    HealthLevel Level,
    string Headline,
    IReadOnlyList<HealthProblem> Problems,
    IReadOnlyList<HealthInfo> Info,
    HealthCounters Counters,
    IReadOnlyDictionary<string, string> ClusterCauses,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The likely cause of trouble at one cluster ("gateway unreachable"), or null when nothing points at it.</summary>
    public string? CauseOf(string cluster) => ClusterCauses.GetValueOrDefault(cluster);
}

/// <summary>
/// Groups what is broken by root cause (pure). Symptoms are attributed once, most fundamental cause first:
/// <list type="number">
/// <item>a cluster whose Kubernetes API is unreachable explains the failed syncs to it (nothing can be pushed there);</item>
/// <item>DNS or a missing probe pod in a consumer explains that consumer's failing links (the source is broken, not the targets);</item>
/// <item>a cluster that every fresh inbound link fails to reach with a connection class (Connect, No upstream) and none reaches
///   has its gateway down: "cluster-2: gateway unreachable — 3 links fail";</item>
/// <item>what is left is listed per link, per consumer (sync), then expiring trust and failed jobs.</item>
/// </list>
/// Unsupported pairs are not failures (they are listed as info); results older than the stale limit are not judged.
/// </summary>
public static class MeshHealthBuilder
{
    private static readonly HashSet<ProbeStatus> SourceLocal = [ProbeStatus.Dns, ProbeStatus.ProbePodMissing];
    private static readonly HashSet<ProbeStatus> Unreachable = [ProbeStatus.Connect, ProbeStatus.NoUpstream];

    public static MeshHealth Build(MeshHealthInput input)
    {
        var known = input.Clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var results = input.Results.Where(r => known.Contains(r.Source) && known.Contains(r.Target)).ToList();
        var fresh = results.Where(r => input.Now - r.ObservedAt <= input.StaleAfter).ToList();
        var failing = fresh.Where(IsFailing).ToList();
        var claimed = new HashSet<ProbeResultView>(ReferenceEqualityComparer.Instance);
        var causes = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<HealthProblem>();
        var failedSyncs = input.Consumers.Where(c => c.State == ObjectSyncState.Failed && known.Contains(c.Consumer)).ToList();
        var claimedSyncs = new HashSet<HealthConsumer>(ReferenceEqualityComparer.Instance);

        // 2. Source-local classes: the consumer's DNS or probe pod, whatever the targets.
        foreach (var group in failing.Where(r => SourceLocal.Contains(r.Status)).GroupBy(r => (r.Source, r.Status)).OrderBy(g => g.Key.Source, StringComparer.Ordinal))
        {
            var links = group.ToList();
            claimed.UnionWith(links);
            var what = group.Key.Status == ProbeStatus.Dns ? "DNS does not resolve exported names" : "probe pod missing";
            causes.TryAdd(group.Key.Source, what);
            problems.Add(new HealthProblem(ProblemKind.SourceBroken, group.Key.Source, $"{group.Key.Source}: {what} — {LinkCount(links.Count)} fail{(links.Count == 1 ? "s" : "")}",
                links[0].Hint ?? links[0].Message ?? "", $"/clusters/{group.Key.Source}", links.Count, 0, true, links.Max(l => l.ObservedAt),
                [.. links.Select(l => $"{l.Host}:{l.Port} ({l.Target})")]));
        }

        // 3. A gateway nobody reaches: every fresh, judged inbound link fails with a connection class.
        var gatewayProblems = new Dictionary<string, HealthProblem>(StringComparer.Ordinal);
        foreach (var cluster in input.Clusters.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var inbound = fresh.Where(r => r.Target == cluster.Name && r.Status is not (ProbeStatus.Unsupported or ProbeStatus.Unknown) && !claimed.Contains(r)).ToList();
            if (inbound.Count == 0 || !inbound.All(r => Unreachable.Contains(r.Status)))
            {
                continue;
            }

            claimed.UnionWith(inbound);
            var sources = inbound.Select(r => r.Source).Distinct().Order(StringComparer.Ordinal).ToList();
            var gateway = string.IsNullOrEmpty(cluster.GatewayAddress) ? "gateway" : $"gateway {cluster.GatewayAddress}";
            causes[cluster.Name] = "gateway unreachable";
            gatewayProblems[cluster.Name] = new HealthProblem(ProblemKind.GatewayUnreachable, cluster.Name,
                $"{cluster.Name}: gateway unreachable — {LinkCount(inbound.Count)} fail{(inbound.Count == 1 ? "s" : "")}",
                $"No consumer reaches the {gateway} (from {string.Join(", ", sources)}); check the east-west or ingress gateway's pods and load balancer.",
                $"/clusters/{cluster.Name}", inbound.Count, 0, true, inbound.Max(r => r.ObservedAt),
                [.. inbound.Select(r => $"{r.Source} → {r.Host}:{r.Port}")]);
        }

        // 1. API down: explains the failed syncs to the cluster (and is listed together with its gateway when both are down).
        foreach (var cluster in input.Clusters.Where(c => c.ApiReachable == false).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var syncs = failedSyncs.Where(s => s.Consumer == cluster.Name).ToList();
            claimedSyncs.UnionWith(syncs);
            var gatewayDown = gatewayProblems.Remove(cluster.Name, out var gw);
            var consequences = new List<string>();
            if (gw is not null)
            {
                consequences.Add($"{LinkCount(gw.Links)} fail{(gw.Links == 1 ? "s" : "")}");
            }

            if (syncs.Count > 0)
            {
                consequences.Add($"{syncs.Count} export sync{(syncs.Count == 1 ? "" : "s")} failed");
            }

            causes[cluster.Name] = gatewayDown ? "cluster unreachable (API and gateway)" : "Kubernetes API unreachable";
            problems.Add(new HealthProblem(ProblemKind.ClusterUnreachable, cluster.Name,
                $"{cluster.Name}: {causes[cluster.Name]}{(consequences.Count > 0 ? " — " + string.Join(", ", consequences) : "")}",
                "Its last connection check failed: nothing can be pushed there until the API answers again. Open the cluster to see the failing stage.",
                $"/clusters/{cluster.Name}", gw?.Links ?? 0, syncs.Count, true, cluster.LastCheckedAt,
                [.. (gw?.Items ?? []).Concat(syncs.Select(s => $"{s.Host}: {s.Message}"))]));
        }

        problems.AddRange(gatewayProblems.Values);

        // 4. Whatever is left, per link.
        foreach (var r in failing.Where(r => !claimed.Contains(r)).OrderByDescending(r => ProbeStatuses.Severity(r.Status)).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Host, StringComparer.Ordinal))
        {
            problems.Add(new HealthProblem(ProblemKind.LinkFailing, $"{r.Source}->{r.Target}", $"{r.Source} → {r.Host}:{r.Port} ({r.Target}): {StatusText(r.Status)}",
                r.Hint ?? r.Message ?? "", "/reachability", 1, 0, true, r.ObservedAt, r.Message is null ? [] : [r.Message]));
        }

        // 5. Failed syncs per consumer cluster.
        foreach (var group in failedSyncs.Where(s => !claimedSyncs.Contains(s)).GroupBy(s => s.Consumer).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var syncs = group.ToList();
            problems.Add(new HealthProblem(ProblemKind.SyncFailed, group.Key,
                $"{group.Key}: {syncs.Count} export sync{(syncs.Count == 1 ? "" : "s")} failed",
                syncs[0].Message ?? "The last push to this cluster failed.", $"/clusters/{group.Key}", 0, syncs.Count, true, null,
                [.. syncs.Select(s => $"{s.Host} (from {s.Exporter}){(s.Message is null ? "" : ": " + s.Message)}")]));
        }

        // 6. Trust, 7. jobs.
        problems.AddRange(input.Trust.Select(t => new HealthProblem(ProblemKind.TrustExpiring, t.Subject, t.Text, "Re-issue or rotate on the Trust page.", "/trust", 0, 0, t.Critical, null, [])));
        if (input.RecentFailedJobs > 0)
        {
            problems.Add(new HealthProblem(ProblemKind.JobsFailing, "jobs", $"{input.RecentFailedJobs} background job{(input.RecentFailedJobs == 1 ? "" : "s")} failed in the last 24 h",
                "The job dashboard shows each one's error.", "/background-jobs", 0, 0, false, null, []));
        }

        var ordered = problems.OrderByDescending(p => p.Critical).ThenBy(p => p.Kind).ToList();
        var counters = Count(input, results, fresh);
        var info = Info(input, results, known);
        var level = input.Clusters.Count == 0 ? HealthLevel.Empty
            : ordered.Any(p => p.Critical) ? HealthLevel.Failing
            : ordered.Count > 0 || counters.LinksStale > 0 ? HealthLevel.Warning
            : HealthLevel.Healthy;
        return new MeshHealth(level, Headline(level, ordered, counters), ordered, info, counters, causes, input.Now);
    }

    /// <summary>A failure that is not "the model cannot carry this pair" (Unsupported is info, not a failure).</summary>
    public static bool IsFailing(ProbeResultView r) => ProbeStatuses.IsFailure(r.Status) && r.Status != ProbeStatus.Unsupported;

    public static string StatusText(ProbeStatus status) => status switch
    {
        ProbeStatus.Dns => "DNS does not resolve",
        ProbeStatus.Connect => "connection fails",
        ProbeStatus.Tls => "TLS handshake fails",
        ProbeStatus.NoUpstream => "no healthy upstream",
        ProbeStatus.NotFound => "answers 404",
        ProbeStatus.ProbePodMissing => "probe pod missing",
        ProbeStatus.Unsupported => "not supported by the mesh model",
        ProbeStatus.Ok => "OK",
        _ => "unknown",
    };

    private static string LinkCount(int n) => n == 1 ? "1 link" : $"{n} links";

    private static HealthCounters Count(MeshHealthInput input, List<ProbeResultView> results, List<ProbeResultView> fresh)
    {
        var consumers = input.Consumers;
        return new HealthCounters(
            input.Clusters.Count,
            input.Clusters.Count(c => c.ApiReachable == true),
            input.Clusters.Count(c => c.ApiReachable == false),
            input.Clusters.Count(c => c.ApiReachable is null),
            results.Count,
            fresh.Count(r => r.Status == ProbeStatus.Ok),
            fresh.Count(IsFailing),
            results.Count(r => input.Now - r.ObservedAt > input.StaleAfter && r.Status != ProbeStatus.Unsupported),
            results.Count(r => r.Status == ProbeStatus.Unsupported),
            consumers.Count,
            consumers.Count(c => c.State == ObjectSyncState.Synced),
            consumers.Count(c => c.State == ObjectSyncState.Pending),
            consumers.Count(c => c.State == ObjectSyncState.Failed),
            consumers.Count(c => c.State == ObjectSyncState.Unsupported));
    }

    private static List<HealthInfo> Info(MeshHealthInput input, List<ProbeResultView> results, HashSet<string> known)
    {
        var info = new List<HealthInfo>();
        var unsupported = input.Consumers.Where(c => c.State == ObjectSyncState.Unsupported && known.Contains(c.Consumer))
            .Select(c => $"{c.Exporter} → {c.Consumer}").Distinct().Order(StringComparer.Ordinal).ToList();
        if (unsupported.Count > 0)
        {
            info.Add(new HealthInfo($"Not carried by the mesh model (Unsupported, not a failure): {string.Join(", ", unsupported)}", "/exports"));
        }

        var stale = results.Count(r => input.Now - r.ObservedAt > input.StaleAfter && r.Status != ProbeStatus.Unsupported);
        if (stale > 0)
        {
            info.Add(new HealthInfo($"{LinkCount(stale)} without a fresh probe result (older than {input.StaleAfter.TotalMinutes:0} min): stale, not judged", "/reachability"));
        }

        return info;
    }

    private static string Headline(HealthLevel level, List<HealthProblem> problems, HealthCounters c)
    {
        if (level == HealthLevel.Empty)
        {
            return "No clusters registered yet";
        }

        if (problems.Count == 0)
        {
            var links = c.Links == 0 ? "no links probed yet" : $"{c.LinksOk}/{c.Links} links OK";
            return c.LinksStale > 0
                ? $"Nothing failing · {c.ApisUp}/{c.Clusters} APIs up · {links} · {c.LinksStale} stale"
                : $"Healthy · {c.ApisUp}/{c.Clusters} APIs up · {links}";
        }

        var parts = new List<string>();
        void Add(ProblemKind kind, string one, string many)
        {
            var n = problems.Count(p => p.Kind == kind);
            if (n > 0)
            {
                parts.Add(n == 1 ? $"1 {one}" : $"{n} {many}");
            }
        }

        Add(ProblemKind.ClusterUnreachable, "cluster unreachable", "clusters unreachable");
        Add(ProblemKind.GatewayUnreachable, "gateway unreachable", "gateways unreachable");
        Add(ProblemKind.SourceBroken, "consumer broken", "consumers broken");
        Add(ProblemKind.LinkFailing, "link failing", "links failing");
        Add(ProblemKind.SyncFailed, "consumer out of sync", "consumers out of sync");
        Add(ProblemKind.TrustExpiring, "certificate expiring", "certificates expiring");
        Add(ProblemKind.JobsFailing, "job failure", "job failures");
        return $"{(level == HealthLevel.Failing ? "Failing" : "Attention")}: {string.Join(" · ", parts)}";
    }
}
