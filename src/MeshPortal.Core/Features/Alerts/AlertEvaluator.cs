using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Trust;

namespace MeshPortal.Core.Features.Alerts;

/// <summary>
/// Pure: the alert conditions that hold in one snapshot. Each carries severity, the cause in plain words, the hint the UI shows, a
/// link to the page that shows it and labels (cluster, namespace, service, team). Failing links are grouped first
/// (<see cref="LinkGrouper"/>), so that a broken gateway is one alert naming the gateway.
/// </summary>
public static class AlertEvaluator
{
    /// <summary>Consumer states that are fine (any other state of the existing enum is alert-worthy, e.g. Failed or Unsupported).</summary>
    public static readonly IReadOnlySet<string> HealthyConsumerStates = new HashSet<string>(StringComparer.Ordinal) { "Synced", "Pending" };

    public static IReadOnlyList<AlertCondition> Evaluate(AlertSnapshot s, AlertOptions o, IReadOnlyList<int> expiryThresholds)
    {
        var names = s.Clusters.ToDictionary(c => c.Id, c => c.Name);
        string Name(int id) => names.TryGetValue(id, out var n) ? n : $"cluster #{id}";
        var conditions = new List<AlertCondition>();

        var unreachable = new HashSet<int>();
        foreach (var c in s.Clusters)
        {
            if (ClusterStatusCalculator.From(c.LastCheckedAt, c.LastCheckPassed, c.LastFailedStage, s.Now) == ClusterStatus.Unreachable)
            {
                unreachable.Add(c.Id);
                conditions.Add(new AlertCondition($"cluster/{c.Id}", AlertRules.ClusterUnreachable, AlertSeverity.Critical,
                    $"Cluster {c.Name} is unreachable",
                    $"The portal cannot reach {c.Name}'s API server: its connection check failed at stage '{c.LastFailedStage}' ({c.LastCheckedAt:u}). Nothing is pushed to it or probed from it.",
                    HintForStage(c.LastFailedStage), $"/clusters/{c.Name}", Labels((AlertLabels.Cluster, c.Name)), [],
                    For: TimeSpan.FromMinutes(Math.Max(0, o.ClusterUnreachableMinutes))));
            }
        }

        foreach (var c in s.Clusters.Where(c => c.RemoteSyncProblem is not null && !unreachable.Contains(c.Id)))
        {
            conditions.Add(new AlertCondition($"remote-sync/{c.Id}", AlertRules.RemoteSyncBroken, AlertSeverity.Warning,
                $"istiod in {c.Name} has not synced every remote cluster",
                c.RemoteSyncProblem!,
                "Open the cluster page (Remote clusters): a revoked reader token is re-minted on that cluster's next push; otherwise check that its API server is reachable from this cluster and that the remote secret's CA matches.",
                $"/clusters/{c.Name}", Labels((AlertLabels.Cluster, c.Name)), []));
        }

        foreach (var group in LinkGrouper.Group(s.FailingLinks, o.GroupMinimum))
        {
            conditions.Add(LinkCondition(group, s, o, Name, unreachable));
        }

        conditions.AddRange(ConsumerConditions(s, o, Name));

        foreach (var p in s.Pushes.Where(p => p.ConsecutiveFailures >= Math.Max(1, o.PushFailures)))
        {
            var cluster = Name(p.ClusterId);
            conditions.Add(new AlertCondition($"push/{p.ClusterId}", AlertRules.PushFailing, AlertSeverity.Warning,
                $"Pushes to {cluster} keep failing",
                $"The last {p.ConsecutiveFailures} pushes to {cluster} failed; the latest ({p.LastAt:u}): {p.LastError ?? "no error recorded"}",
                unreachable.Contains(p.ClusterId) ? CheckHints.Unreachable : "Open the cluster's sync panel for the failing objects and the API server's answer; fix the cause and push again.",
                $"/clusters/{cluster}", Labels((AlertLabels.Cluster, cluster)), []));
        }

        foreach (var ca in s.Certificates)
        {
            var status = ExpiryWarnings.Evaluate(ca.NotAfter, s.Now, expiryThresholds);
            if (!status.NeedsAttention)
            {
                continue;
            }

            var cluster = ca.ClusterId is { } id ? Name(id) : null;
            var what = cluster is null ? "The mesh root CA" : $"The intermediate CA of {cluster}";
            var severity = status.Severity switch
            {
                ExpirySeverity.Notice => AlertSeverity.Info,
                ExpirySeverity.Warning => AlertSeverity.Warning,
                _ => AlertSeverity.Critical,
            };
            conditions.Add(new AlertCondition(cluster is null ? $"ca/root/{ca.Subject}" : $"ca/intermediate/{ca.ClusterId}", AlertRules.CaExpiring, severity,
                status.Severity == ExpirySeverity.Expired ? $"{what} has expired" : $"{what} expires in {status.DaysLeft} day(s)",
                $"{status.Describe(what + " (" + ca.Subject + ")")} Workloads whose certificates chain to it stop trusting each other when it expires.",
                cluster is null ? "Rotate the root on the Trust page (guided rotation: new root next to the old one, re-issue, retire)." : "Re-issue the cluster's intermediate on the Trust page; istiod picks it up after the push.",
                "/trust", cluster is null ? Labels() : Labels((AlertLabels.Cluster, cluster)), []));
        }

        if (s.Probes.Expected)
        {
            var limit = s.Probes.Interval * 2;
            if (s.Probes.NewestObservedAt is not { } newest || s.Now - newest > limit)
            {
                conditions.Add(new AlertCondition("probe-job", AlertRules.ProbeJobNotRunning, AlertSeverity.Warning,
                    "The probe job is not running",
                    s.Probes.NewestObservedAt is { } n
                        ? $"No probe result for {(int)(s.Now - n).TotalMinutes} minutes (the cycle runs every {(int)s.Probes.Interval.TotalSeconds} s): reachability shown in the portal is stale."
                        : "No probe result has been stored although exports are consumed: reachability is not being measured.",
                    "Open the jobs dashboard (/jobs): is the recurring 'probe-all-clusters' job scheduled, and are job servers running?",
                    "/background-jobs", Labels(), [], For: limit));
            }
        }

        return conditions;
    }

    private static AlertCondition LinkCondition(LinkGroup group, AlertSnapshot s, AlertOptions o, Func<int, string> name, HashSet<int> unreachable)
    {
        var first = group.Links[0];
        var teams = group.Links.SelectMany(l => s.Exports.TryGetValue(l.ExportId, out var e) ? e.Teams : []).Distinct().Order(StringComparer.Ordinal).ToList();
        var observed = group.Links.Max(l => l.ObservedAt);
        var dominant = group.DominantStatus;
        var hint = group.Links.FirstOrDefault(l => l.Status == dominant)?.Hint ?? first.Hint;
        if (group.Scope == LinkGroupScope.Single)
        {
            var export = s.Exports.GetValueOrDefault(first.ExportId);
            var source = name(first.SourceClusterId);
            var labels = Labels((AlertLabels.Cluster, name(first.TargetClusterId)), (AlertLabels.Source, source),
                (AlertLabels.Namespace, export?.Namespace), (AlertLabels.Service, export?.Service), (AlertLabels.Team, Join(teams)));
            return new AlertCondition($"link/{first.SourceClusterId}/{first.Host}:{first.Port}", AlertRules.LinkFailing, AlertSeverity.Warning,
                $"{source} → {first.Host}:{first.Port} fails ({first.Status})",
                $"Probes from {source} to {first.Host}:{first.Port} fail with {first.Status}: {first.Message ?? "no detail"}",
                hint, $"/reachability?cluster={source}", labels, teams, observed, Math.Max(1, o.LinkFailingProbes));
        }

        var cluster = name(group.ClusterId);
        var hosts = group.Links.Select(l => $"{name(l.SourceClusterId)} → {l.Host}:{l.Port}").Distinct().ToList();
        // A grouped alert goes to every team whose links it holds: name the links only when they are one team's (or nobody's),
        // so that a team channel never learns another team's exports.
        var listed = teams.Count > 1
            ? $"links of {teams.Count} teams; the Reachability page lists them"
            : string.Join(", ", hosts.Take(5)) + (hosts.Count > 5 ? $" and {hosts.Count - 5} more" : "");
        var modern = ModernHints.IsModernHost(first.Host);
        var gateway = modern ? "east-west gateway" : "ingress gateway (port 15443)";
        string summary, cause;
        if (group.Scope == LinkGroupScope.Target)
        {
            var likely = unreachable.Contains(group.ClusterId)
                ? $"{cluster} itself is unreachable"
                : dominant switch
                {
                    ProbeStatus.Connect => $"{cluster}'s {gateway} is down or unreachable",
                    ProbeStatus.Tls => $"{cluster}'s certificates no longer chain to the consumers' root (trust), or its gateway terminates mTLS",
                    ProbeStatus.NoUpstream when modern => $"the consumers' istiod has not synced {cluster} (its remote secret is missing or refused), or its services have no ready endpoints",
                    ProbeStatus.NoUpstream or ProbeStatus.NotFound => $"services in {cluster} have no ready endpoints or routes",
                    ProbeStatus.RbacDenied => $"an AuthorizationPolicy in {cluster} denies these callers (RBAC: access denied)",
                    _ => $"something {cluster}'s exports share ({dominant})",
                };
            summary = $"{group.Links.Count} links to {cluster} fail: likely cause {likely}";
            cause = $"Every failing link ({group.Links.Count}) leads to services exported by {cluster}, mostly with {dominant}, so the likely cause is that {likely}. Links: {listed}.";
        }
        else
        {
            var likely = dominant switch
            {
                ProbeStatus.Dns when modern => $"{cluster} has no Service for the names it calls (the consumer Service MeshPortal creates, or DNS capture)",
                ProbeStatus.Dns => $"{cluster}'s DNS for .global names (stub domain / istiocoredns / DNS proxying)",
                ProbeStatus.ProbePodMissing => $"{cluster}'s probe pod (not running)",
                _ => $"{cluster}'s sidecar or egress ({dominant})",
            };
            summary = $"{group.Links.Count} links from {cluster} fail: likely cause {likely}";
            cause = $"Every failing link ({group.Links.Count}) starts in {cluster}, mostly with {dominant}, so the likely cause is {likely}. Links: {listed}.";
        }

        return new AlertCondition($"links/{group.Scope.ToString().ToLowerInvariant()}/{group.ClusterId}", AlertRules.LinkFailing, AlertSeverity.Critical,
            summary, cause, hint, $"/reachability?cluster={cluster}",
            Labels((group.Scope == LinkGroupScope.Target ? AlertLabels.Cluster : AlertLabels.Source, cluster), (AlertLabels.Team, Join(teams))),
            teams, observed, Math.Max(1, o.LinkFailingProbes));
    }

    private static IEnumerable<AlertCondition> ConsumerConditions(AlertSnapshot s, AlertOptions o, Func<int, string> name)
    {
        var failures = s.ConsumerFailures.Where(f => !HealthyConsumerStates.Contains(f.State)).ToList();
        var forTime = TimeSpan.FromMinutes(Math.Max(0, o.ConsumerFailedMinutes));
        foreach (var byCluster in failures.GroupBy(f => f.ClusterId).OrderBy(g => g.Key))
        {
            var consumer = name(byCluster.Key);
            var list = byCluster.OrderBy(f => f.ExportId).ToList();
            if (list.Count >= Math.Max(2, o.GroupMinimum))
            {
                var teams = list.SelectMany(f => s.Exports.TryGetValue(f.ExportId, out var e) ? e.Teams : []).Distinct().Order(StringComparer.Ordinal).ToList();
                var hosts = list.Select(f => s.Exports.TryGetValue(f.ExportId, out var e) ? e.Host : $"export {f.ExportId}").ToList();
                yield return new AlertCondition($"consumers/{byCluster.Key}", AlertRules.ConsumerSyncFailed, AlertSeverity.Warning,
                    $"{list.Count} exports fail to sync to {consumer}",
                    $"{list.Count} exports are not synced to {consumer} ({string.Join(", ", list.Select(f => f.State).Distinct())}): likely cause something they share in {consumer}; first reason: {list[0].Message ?? "none recorded"}. Exports: {string.Join(", ", hosts.Take(5))}{(hosts.Count > 5 ? $" and {hosts.Count - 5} more" : "")}.",
                    ConsumerHint(list[0].State), "/exports", Labels((AlertLabels.Cluster, consumer), (AlertLabels.Team, Join(teams))), teams, For: forTime);
                continue;
            }

            foreach (var f in list)
            {
                var export = s.Exports.GetValueOrDefault(f.ExportId);
                var teams = export?.Teams ?? [];
                var host = export?.Host ?? $"export {f.ExportId}";
                yield return new AlertCondition($"consumer/{f.ExportId}/{f.ClusterId}", AlertRules.ConsumerSyncFailed, AlertSeverity.Warning,
                    $"{host} is {f.State} in {consumer}",
                    $"The export {host} is {f.State} in consumer cluster {consumer}: {f.Message ?? "no reason recorded"}",
                    ConsumerHint(f.State), "/exports",
                    Labels((AlertLabels.Cluster, consumer), (AlertLabels.Namespace, export?.Namespace), (AlertLabels.Service, export?.Service), (AlertLabels.Team, Join(teams))),
                    teams, For: forTime);
            }
        }
    }

    private static string ConsumerHint(string state) => state == "Unsupported"
        ? "The consumer cluster's Istio version cannot serve this export as configured; see the export's consumer state for what it lacks."
        : "Open the export's consumer state for the API server's answer; fix the cause (often a webhook or RBAC refusal) and push again.";

    private static string HintForStage(string? stage) => stage switch
    {
        CheckStageIds.ApiTls => CheckHints.TlsUntrusted,
        CheckStageIds.ApiAuth => CheckHints.Unauthorized,
        CheckStageIds.KubeconfigParse => CheckHints.KubeconfigRefused,
        _ => CheckHints.Unreachable,
    };

    private static string? Join(IReadOnlyList<string> teams) => teams.Count == 0 ? null : string.Join(",", teams);

    private static IReadOnlyDictionary<string, string> Labels(params (string Name, string? Value)[] pairs) =>
        pairs.Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(p => p.Name, p => p.Value!, StringComparer.Ordinal);
}
