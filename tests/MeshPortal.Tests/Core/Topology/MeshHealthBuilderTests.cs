using MeshPortal.Core.Features.Probes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Tests.Core.Topology;

/// <summary>Root-cause grouping behind the Overview, the wall screen and the topology's node causes.</summary>
[Trait("Speed", "Fast")]
public sealed class MeshHealthBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(120);

    private static TopologyCluster Cluster(string name, bool? up = true, string? gateway = "203.0.113.9") =>
        new(name.GetHashCode(), name, "1.28.0", gateway, up, Now.AddMinutes(-1), "Synced", null);

    private static ProbeResultView Result(string source, string target, string host, ProbeStatus status, int ageSeconds = 5) =>
        new(1, source, 2, target, host, 8000, status, status == ProbeStatus.Ok ? 200 : null, 8, Now.AddSeconds(-ageSeconds), $"{status} message", $"{status} hint");

    private static HealthConsumer Consumer(string host, string exporter, string consumer, ObjectSyncState state, string? message = null) =>
        new(1, host, exporter, consumer, state, message);

    private static MeshHealth Build(IReadOnlyList<TopologyCluster> clusters, IReadOnlyList<ProbeResultView>? results = null,
        IReadOnlyList<HealthConsumer>? consumers = null, IReadOnlyList<HealthTrustWarning>? trust = null, int failedJobs = 0) =>
        MeshHealthBuilder.Build(new MeshHealthInput(clusters, results ?? [], consumers ?? [], trust ?? [], failedJobs, Now, StaleAfter));

    [Fact]
    public void An_empty_mesh_is_empty_not_healthy()
    {
        var health = Build([]);
        Assert.Equal(HealthLevel.Empty, health.Level);
        Assert.Empty(health.Problems);
        Assert.Equal("No clusters registered yet", health.Headline);
    }

    [Fact]
    public void All_ok_is_healthy_with_counts_in_the_headline()
    {
        var health = Build([Cluster("c1"), Cluster("c2")], [Result("c1", "c2", "a.bar.global", ProbeStatus.Ok)],
            [Consumer("a.bar.global", "c2", "c1", ObjectSyncState.Synced)]);
        Assert.Equal(HealthLevel.Healthy, health.Level);
        Assert.Equal("Healthy · 2/2 APIs up · 1/1 links OK", health.Headline);
        Assert.Null(health.CauseOf("c2"));
    }

    [Fact]
    public void A_gateway_nobody_reaches_is_one_problem_at_the_target_not_one_per_link()
    {
        var health = Build([Cluster("c1"), Cluster("c2"), Cluster("c3")],
        [
            Result("c1", "c2", "a.bar.global", ProbeStatus.Connect),
            Result("c1", "c2", "b.bar.global", ProbeStatus.Connect),
            Result("c3", "c2", "a.bar.global", ProbeStatus.NoUpstream),
            Result("c1", "c3", "d.bar.global", ProbeStatus.Ok),
        ]);

        var problem = Assert.Single(health.Problems);
        Assert.Equal(ProblemKind.GatewayUnreachable, problem.Kind);
        Assert.Equal("c2: gateway unreachable — 3 links fail", problem.Title);
        Assert.Equal("/clusters/c2", problem.Href);
        Assert.Contains("203.0.113.9", problem.Detail);
        Assert.Equal("gateway unreachable", health.CauseOf("c2"));
        Assert.Null(health.CauseOf("c1"));
        Assert.Equal(HealthLevel.Failing, health.Level);
        Assert.Equal("Failing: 1 gateway unreachable", health.Headline);
    }

    [Fact]
    public void One_inbound_link_that_works_means_the_gateway_is_up_and_the_failure_stays_per_link()
    {
        var health = Build([Cluster("c1"), Cluster("c2")],
        [
            Result("c1", "c2", "a.bar.global", ProbeStatus.Connect),
            Result("c1", "c2", "b.bar.global", ProbeStatus.Ok),
        ]);

        var problem = Assert.Single(health.Problems);
        Assert.Equal(ProblemKind.LinkFailing, problem.Kind);
        Assert.Equal("c1 → a.bar.global:8000 (c2): connection fails", problem.Title);
        Assert.Null(health.CauseOf("c2"));
    }

    [Fact]
    public void Dns_in_a_consumer_is_the_consumers_problem_even_when_it_is_the_only_link_into_a_target()
    {
        var health = Build([Cluster("c1"), Cluster("c2"), Cluster("c3")],
        [
            Result("c1", "c2", "a.bar.global", ProbeStatus.Dns),
            Result("c1", "c3", "b.bar.global", ProbeStatus.Dns),
        ]);

        var problem = Assert.Single(health.Problems);
        Assert.Equal((ProblemKind.SourceBroken, "c1"), (problem.Kind, problem.Subject));
        Assert.Equal("c1: DNS does not resolve exported names — 2 links fail", problem.Title);
        Assert.Equal("DNS does not resolve exported names", health.CauseOf("c1"));
        Assert.Null(health.CauseOf("c2"));
    }

    [Fact]
    public void An_api_down_cluster_explains_its_failed_syncs_and_merges_with_its_gateway()
    {
        var health = Build([Cluster("c1"), Cluster("c2", up: false), Cluster("c3", up: false)],
            [Result("c1", "c2", "a.bar.global", ProbeStatus.Connect)],
            [
                Consumer("x.foo.global", "c1", "c2", ObjectSyncState.Failed, "connection refused"),
                Consumer("x.foo.global", "c1", "c3", ObjectSyncState.Failed, "connection refused"),
            ]);

        Assert.Equal(2, health.Problems.Count);
        Assert.All(health.Problems, p => Assert.Equal(ProblemKind.ClusterUnreachable, p.Kind));
        Assert.Equal("c2: cluster unreachable (API and gateway) — 1 link fails, 1 export sync failed", health.Problems[0].Title);
        Assert.Equal("c3: Kubernetes API unreachable — 1 export sync failed", health.Problems[1].Title);
        Assert.Equal("Kubernetes API unreachable", health.CauseOf("c3"));
        Assert.Equal("Failing: 2 clusters unreachable", health.Headline);
    }

    [Fact]
    public void Failed_syncs_are_grouped_per_consumer_and_unsupported_pairs_are_info_not_failures()
    {
        var health = Build([Cluster("c1"), Cluster("c2"), Cluster("old")],
            [Result("old", "c2", "a.bar.global", ProbeStatus.Unsupported)],
            [
                Consumer("a.bar.global", "c2", "c1", ObjectSyncState.Failed, "admission webhook denied"),
                Consumer("b.bar.global", "c2", "c1", ObjectSyncState.Failed, "admission webhook denied"),
                Consumer("a.bar.global", "c2", "old", ObjectSyncState.Unsupported, "1.4 cannot consume"),
            ]);

        var problem = Assert.Single(health.Problems);
        Assert.Equal("c1: 2 export syncs failed", problem.Title);
        Assert.Equal(2, problem.Syncs);
        Assert.Equal("/clusters/c1", problem.Href);
        Assert.Contains(health.Info, i => i.Title.Contains("c2 → old") && i.Title.Contains("not a failure"));
        Assert.Equal((1, 0), (health.Counters.LinksUnsupported, health.Counters.LinksFailing));
    }

    [Fact]
    public void Stale_results_are_not_judged_and_make_a_warning_not_a_failure()
    {
        var health = Build([Cluster("c1"), Cluster("c2")], [Result("c1", "c2", "a.bar.global", ProbeStatus.Connect, ageSeconds: 600)]);
        Assert.Empty(health.Problems);
        Assert.Equal(HealthLevel.Warning, health.Level);
        Assert.Equal(1, health.Counters.LinksStale);
        Assert.Contains(health.Info, i => i.Title.Contains("stale"));
        Assert.Null(health.CauseOf("c2"));
    }

    [Fact]
    public void Expiring_trust_and_failed_jobs_are_problems_and_critical_ones_come_first()
    {
        var health = Build([Cluster("c1")], trust:
            [
                new HealthTrustWarning("Intermediate c1", "Intermediate c1 expires in 20 days.", Critical: false),
                new HealthTrustWarning("Mesh root", "Mesh root expired 2 day(s) ago.", Critical: true),
            ], failedJobs: 3);

        Assert.Equal(["Mesh root expired 2 day(s) ago.", "Intermediate c1 expires in 20 days.", "3 background jobs failed in the last 24 h"],
            health.Problems.Select(p => p.Title));
        Assert.Equal(HealthLevel.Failing, health.Level);
        Assert.Equal("Failing: 2 certificates expiring · 1 job failure", health.Headline);
    }

    [Fact]
    public void Results_of_clusters_that_no_longer_exist_are_ignored()
    {
        var health = Build([Cluster("c1")], [Result("c1", "gone", "a.bar.global", ProbeStatus.Connect)],
            [Consumer("a.bar.global", "c1", "gone", ObjectSyncState.Failed)]);
        Assert.Empty(health.Problems);
        Assert.Equal(0, health.Counters.Links);
    }
}
