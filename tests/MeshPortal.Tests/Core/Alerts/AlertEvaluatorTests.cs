using MeshPortal.Core.Features.Alerts;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Tests.Core.Alerts;

/// <summary>The pure evaluator: which conditions hold, how failing links are grouped and what cause they name.</summary>
[Trait("Speed", "Fast")]
public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly AlertOptions Options = new();

    private static AlertSnapshot Snapshot(IReadOnlyList<LinkFact>? links = null, IReadOnlyList<ClusterFact>? clusters = null,
        IReadOnlyList<ConsumerFailure>? consumers = null, IReadOnlyList<PushTail>? pushes = null, IReadOnlyList<CaFact>? cas = null,
        ProbeActivity? probes = null, Dictionary<int, ExportFact>? exports = null) => new(Now,
        clusters ?? [new(1, "east", Now, true, null), new(2, "west", Now, true, null), new(3, "north", Now, true, null)],
        links ?? [], exports ?? Exports(), consumers ?? [], pushes ?? [], cas ?? [], probes ?? new ProbeActivity(false, null, TimeSpan.FromMinutes(1)));

    private static Dictionary<int, ExportFact> Exports() => Enumerable.Range(1, 60).ToDictionary(i => i,
        i => new ExportFact(i, 2, "ns" + (i % 3), "svc" + i, $"svc{i}.ns{i % 3}.global", [i % 2 == 0 ? "payments" : "web"]));

    private static LinkFact Link(int source, int target, int export, ProbeStatus status = ProbeStatus.Connect) =>
        new(source, target, export, $"svc{export}.ns{export % 3}.global", 8000, status, "curl: (7) connection refused", ProbeHints.GatewayConnect(8000), Now.AddSeconds(-5));

    [Fact]
    public void Forty_links_into_one_cluster_with_its_gateway_down_are_one_critical_alert_naming_the_gateway()
    {
        var links = Enumerable.Range(1, 40).Select(i => Link(i % 2 == 0 ? 1 : 3, 2, i)).ToList();
        var conditions = AlertEvaluator.Evaluate(Snapshot(links), Options, [60, 30, 7]);

        var alert = Assert.Single(conditions);
        Assert.Equal(AlertRules.LinkFailing, alert.Rule);
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Equal("links/target/2", alert.Key);
        Assert.Contains("40 links to west fail", alert.Summary);
        Assert.Contains("west's ingress gateway (port 15443)", alert.Summary);
        Assert.Contains("links of 2 teams", alert.Cause); // both teams receive it: neither learns the other's exports
        Assert.DoesNotContain(".global", alert.Cause);
        Assert.Equal("west", alert.Labels[AlertLabels.Cluster]);
        Assert.Equal(["payments", "web"], alert.Teams);
        Assert.Contains("15443", alert.Hint);
        Assert.Equal(3, alert.RequiredObservations);
    }

    private static LinkFact ModernLink(int source, int target, int export, ProbeStatus status) =>
        Link(source, target, export, status) with { Host = $"svc{export}.ns{export % 3}.svc.cluster.local" };

    [Theory]
    [InlineData(ProbeStatus.NoUpstream, "the consumers' istiod has not synced west (its remote secret is missing or refused)")]
    [InlineData(ProbeStatus.Connect, "west's east-west gateway is down or unreachable")]
    [InlineData(ProbeStatus.RbacDenied, "an AuthorizationPolicy in west denies these callers")]
    public void Multi_primary_links_into_one_cluster_name_the_modern_cause(ProbeStatus status, string likely)
    {
        var links = Enumerable.Range(1, 6).Select(i => ModernLink(i % 2 == 0 ? 1 : 3, 2, i, status)).ToList();
        var alert = Assert.Single(AlertEvaluator.Evaluate(Snapshot(links), Options, [60, 30, 7]));

        Assert.Contains("likely cause " + likely, alert.Summary);
        Assert.DoesNotContain("15443", alert.Summary);
    }

    [Fact]
    public void Multi_primary_dns_failures_from_one_consumer_name_the_consumer_service_not_the_global_stub()
    {
        var links = new[] { ModernLink(1, 2, 1, ProbeStatus.Dns), ModernLink(1, 3, 2, ProbeStatus.Dns) };
        var alert = Assert.Single(AlertEvaluator.Evaluate(Snapshot(links), Options, [60, 30, 7]));

        Assert.Contains("east has no Service for the names it calls", alert.Summary);
        Assert.DoesNotContain(".global", alert.Summary);
    }

    [Fact]
    public void Dns_failures_from_one_consumer_point_at_the_consumer_and_a_lone_failure_stays_single()
    {
        var links = new[] { Link(1, 2, 1, ProbeStatus.Dns), Link(1, 3, 2, ProbeStatus.Dns), Link(3, 2, 4, ProbeStatus.NotFound) };
        var conditions = AlertEvaluator.Evaluate(Snapshot(links), Options, [60, 30, 7]);

        Assert.Equal(2, conditions.Count);
        var grouped = conditions.Single(c => c.Key == "links/source/1");
        Assert.Contains("east's DNS", grouped.Summary);
        Assert.Equal("east", grouped.Labels[AlertLabels.Source]);
        var single = conditions.Single(c => c.Key.StartsWith("link/", StringComparison.Ordinal));
        Assert.Equal("link/3/svc4.ns1.global:8000", single.Key);
        Assert.Equal(AlertSeverity.Warning, single.Severity);
        Assert.Equal("ns1", single.Labels[AlertLabels.Namespace]);
        Assert.Equal("svc4", single.Labels[AlertLabels.Service]);
        Assert.Equal("payments", single.Labels[AlertLabels.Team]);
    }

    [Fact]
    public void Grouping_is_a_partition_the_largest_shared_cluster_first()
    {
        var links = new[] { Link(1, 2, 1), Link(3, 2, 2), Link(1, 2, 3), Link(1, 3, 5), Link(2, 3, 7) };
        var groups = LinkGrouper.Group(links, 2);
        Assert.Equal(links.Length, groups.Sum(g => g.Links.Count));
        Assert.Equal((LinkGroupScope.Target, 2, 3), (groups[0].Scope, groups[0].ClusterId, groups[0].Links.Count));
        Assert.Equal((LinkGroupScope.Target, 3, 2), (groups[1].Scope, groups[1].ClusterId, groups[1].Links.Count));
    }

    [Fact]
    public void Unreachable_cluster_fires_after_its_minutes_and_names_the_stage_hint()
    {
        var clusters = new[] { new ClusterFact(1, "east", Now.AddMinutes(-1), false, CheckStageIds.ApiReachable), new ClusterFact(2, "west", Now, false, CheckStageIds.Dns) };
        var conditions = AlertEvaluator.Evaluate(Snapshot(clusters: clusters), Options, [60, 30, 7]);
        var alert = Assert.Single(conditions);
        Assert.Equal(AlertRules.ClusterUnreachable, alert.Rule);
        Assert.Equal(TimeSpan.FromMinutes(5), alert.For);
        Assert.Equal(CheckHints.Unreachable, alert.Hint);
        Assert.Equal("/clusters/east", alert.Link);
    }

    [Theory]
    [InlineData("Failed", true)]
    [InlineData("Unsupported", true)]
    [InlineData("Synced", false)]
    [InlineData("Pending", false)]
    public void Any_consumer_state_other_than_Synced_or_Pending_is_alert_worthy(string state, bool fires)
    {
        var conditions = AlertEvaluator.Evaluate(Snapshot(consumers: [new ConsumerFailure(4, 1, state, "admission webhook denied", Now)]), Options, [60, 30, 7]);
        Assert.Equal(fires, conditions.Any(c => c.Rule == AlertRules.ConsumerSyncFailed));
        if (fires)
        {
            var c = conditions.Single();
            Assert.Equal($"svc4.ns1.global is {state} in east", c.Summary);
            Assert.Contains("admission webhook denied", c.Cause);
            Assert.Equal(["payments"], c.Teams);
        }
    }

    [Theory]
    [InlineData(61, null)]
    [InlineData(59, AlertSeverity.Info)]
    [InlineData(29, AlertSeverity.Warning)]
    [InlineData(6, AlertSeverity.Critical)]
    [InlineData(-1, AlertSeverity.Critical)]
    public void Ca_expiry_bands_60_30_7_and_expired(int days, AlertSeverity? expected)
    {
        var conditions = AlertEvaluator.Evaluate(Snapshot(cas: [new CaFact("intermediate", 2, "serial 1", Now.AddDays(days).AddHours(1))]), Options, [60, 30, 7]);
        Assert.Equal(expected, conditions.SingleOrDefault()?.Severity);
        if (days < 0)
        {
            Assert.Equal("The intermediate CA of west has expired", conditions.Single().Summary);
        }
    }

    [Fact]
    public void Pushes_fire_after_the_configured_number_of_failures_in_a_row()
    {
        var conditions = AlertEvaluator.Evaluate(Snapshot(pushes: [new PushTail(1, 3, "403 forbidden", Now), new PushTail(2, 2, "timeout", Now)]), Options, [60, 30, 7]);
        var alert = Assert.Single(conditions);
        Assert.Equal("push/1", alert.Key);
        Assert.Contains("403 forbidden", alert.Cause);
    }

    [Fact]
    public void Probe_job_fires_when_results_are_older_than_two_intervals_or_missing_and_only_when_expected()
    {
        var minute = TimeSpan.FromMinutes(1);
        Assert.Empty(AlertEvaluator.Evaluate(Snapshot(probes: new ProbeActivity(true, Now.AddSeconds(-100), minute)), Options, []));
        var stale = Assert.Single(AlertEvaluator.Evaluate(Snapshot(probes: new ProbeActivity(true, Now.AddMinutes(-5), minute)), Options, []));
        Assert.Equal(AlertRules.ProbeJobNotRunning, stale.Rule);
        Assert.Contains("No probe result for 5 minutes", stale.Cause);
        Assert.Single(AlertEvaluator.Evaluate(Snapshot(probes: new ProbeActivity(true, null, minute)), Options, []));
        Assert.Empty(AlertEvaluator.Evaluate(Snapshot(probes: new ProbeActivity(false, null, minute)), Options, []));
    }

    [Fact]
    public void A_primary_whose_istiod_has_not_synced_a_peer_is_one_warning_with_the_reason()
    {
        var clusters = new List<ClusterFact>
        {
            new(1, "east", Now, true, null, "west: timeout. istiod cannot read west's API with the remote secret: the reader token may be revoked"),
            new(2, "west", Now, true, null),
        };
        var alert = Assert.Single(AlertEvaluator.Evaluate(Snapshot(clusters: clusters), Options, [60, 30, 7]));
        Assert.Equal(AlertRules.RemoteSyncBroken, alert.Rule);
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.Contains("reader token", alert.Cause);
        Assert.Equal("/clusters/east", alert.Link);
    }

    [Fact]
    public void Unsupported_consumers_alert_like_failed_ones()
    {
        var conditions = AlertEvaluator.Evaluate(Snapshot(consumers: [new ConsumerFailure(4, 1, "Unsupported", "east cannot consume .global services", Now)]), Options, [60, 30, 7]);
        Assert.Contains(conditions, c => c.Rule == AlertRules.ConsumerSyncFailed && c.Cause.Contains("cannot consume", StringComparison.Ordinal));
    }

    [Fact]
    public void A_group_of_one_teams_links_lists_them()
    {
        var links = Enumerable.Range(1, 10).Select(i => Link(1, 2, i * 2)).ToList(); // even exports: team payments only
        var alert = Assert.Single(AlertEvaluator.Evaluate(Snapshot(links), Options, [60, 30, 7]));
        Assert.Contains("and 5 more", alert.Cause);
        Assert.Equal(["payments"], alert.Teams);
    }
}
