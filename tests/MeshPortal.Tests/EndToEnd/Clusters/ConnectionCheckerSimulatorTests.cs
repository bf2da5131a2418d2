using System.Diagnostics;
using System.Text.RegularExpressions;
using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Tests.EndToEnd.Clusters;

/// <summary>The whole staged check against simulated clusters (real HTTPS API servers on 127.0.0.1).</summary>
[Trait("Speed", "EndToEnd")]
public sealed partial class ConnectionCheckerSimulatorTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Seeded_cluster_passes_every_stage_and_reports_its_facts()
    {
        using var h = new CheckerHarness(stageTimeoutSeconds: 5, requestTimeoutSeconds: 5);
        var cluster = sim.Mesh["cluster-1"];
        var report = await h.Checker.CheckAsync(cluster.KubeconfigYaml, "cluster-1", CancellationToken.None);

        Assert.Equal(CheckerHarness.StageIds, report.Stages.Select(s => s.Id));
        Assert.All(report.Stages, s => Assert.True(s.Result == CheckResult.Pass, $"{s.Id}: {s.Message}"));
        Assert.True(report.Passed);
        var f = report.Facts;
        Assert.Equal("1.6.8", f.IstioVersion);
        Assert.Equal(cluster.GatewayLoadBalancerIp, f.GatewayAddress);
        Assert.StartsWith("203.0.113.", f.GatewayAddress);
        Assert.Equal(15443, f.GatewayPort);
        Assert.NotNull(f.IstioCoreDnsAddress);
        Assert.False(f.DnsProxying);
        Assert.Equal("coredns", f.DnsProvider);
        Assert.Contains(cluster.KubernetesVersion, f.KubernetesVersion);
        Assert.Contains("load balancer", CheckerHarness.Stage(report, CheckStageIds.IstioGateway).Message);
        Assert.All(report.Stages, s => Assert.DoesNotContain(cluster.Token, s.Message + s.Hint));

        // The mesh model is read from the objects the seed's install renders, not assumed from the version.
        var mesh = f.Mesh!;
        Assert.True(mesh.OverlayGateway && mesh.OverlayEnvoyFilter && mesh.OverlayDestinationRule);
        Assert.True(mesh.IngressHasPort15443);
        Assert.Equal("sni-dnat", mesh.IngressRouterMode);
        Assert.Equal(f.IstioCoreDnsAddress, mesh.IstioCoreDnsAddress);
        var model = CheckerHarness.Stage(report, CheckStageIds.MeshModel).Message;
        Assert.Contains(".global export: yes", model);
        Assert.Contains(".global consume: yes", model);
        Assert.Contains("multi-primary: no", model);
    }

    [Fact]
    public async Task Istio_124_says_dot_global_cannot_work_and_multi_primary_can()
    {
        using var h = new CheckerHarness(stageTimeoutSeconds: 5);
        var report = await h.Checker.CheckAsync(sim.Mesh["current"].KubeconfigYaml, null, CancellationToken.None);
        var model = CheckerHarness.Stage(report, CheckStageIds.MeshModel);
        Assert.Equal(CheckResult.Pass, model.Result);
        Assert.Contains(".global export: no", model.Message);
        Assert.Contains("istio/istio#32848", model.Message);
        Assert.Contains("multi-primary: yes", model.Message);
        Assert.Contains("multi-primary", model.Hint);
        Assert.Equal("1.24.0", report.Facts.Mesh!.IstioVersion);
        var gateway = CheckerHarness.Stage(report, CheckStageIds.IstioGateway);
        Assert.Equal(CheckResult.Pass, gateway.Result);
        Assert.Contains("no port 15443", gateway.Message);
        Assert.True(report.Passed, string.Join("\n", report.Stages.Select(s => $"{s.Id}: {s.Result} {s.Message}")));
        Assert.False(report.Facts.Mesh.IngressHasPort15443);
    }

    [Fact]
    public async Task Kubernetes_115_fails_with_no_server_side_apply()
    {
        using var h = new CheckerHarness(stageTimeoutSeconds: 5);
        var report = await h.Checker.CheckAsync(sim.Mesh["k115"].KubeconfigYaml, null, CancellationToken.None);
        var stage = CheckerHarness.Stage(report, CheckStageIds.KubernetesVersion);
        Assert.Equal(CheckResult.Fail, stage.Result);
        Assert.Contains("no server-side apply", stage.Message);
        Assert.Contains("1.16", stage.Hint);
        Assert.False(report.Passed);
    }

    [Fact]
    public async Task Cluster_without_load_balancer_uses_the_node_port_and_a_node_address()
    {
        using var h = new CheckerHarness(stageTimeoutSeconds: 5);
        var cluster = sim.Mesh["nodeport"];
        var report = await h.Checker.CheckAsync(cluster.KubeconfigYaml, null, CancellationToken.None);

        var gateway = CheckerHarness.Stage(report, CheckStageIds.IstioGateway);
        Assert.True(gateway.Result == CheckResult.Pass, gateway.Message);
        Assert.Contains("nodePort", gateway.Message);
        Assert.Equal(cluster.NodeIp, report.Facts.GatewayAddress);
        Assert.NotEqual(15443, report.Facts.GatewayPort);
        Assert.InRange(report.Facts.GatewayPort!.Value, 30000, 32767);
        Assert.Equal("kube-dns", report.Facts.DnsProvider);
    }

    [Fact]
    public async Task Istio_with_dns_proxying_needs_no_istiocoredns()
    {
        using var h = new CheckerHarness(stageTimeoutSeconds: 5);
        var report = await h.Checker.CheckAsync(sim.Mesh["modern"].KubeconfigYaml, null, CancellationToken.None);

        var dns = CheckerHarness.Stage(report, CheckStageIds.Dns);
        Assert.True(dns.Result == CheckResult.Pass, dns.Message);
        Assert.Contains("DNS proxying", dns.Message);
        Assert.True(report.Facts.DnsProxying);
        Assert.True(report.Facts.Mesh!.DnsCapture);
        Assert.Null(report.Facts.IstioCoreDnsAddress);
        Assert.Equal("1.9.0", report.Facts.IstioVersion);
    }

    [Fact]
    public async Task Wrong_token_fails_api_auth_with_a_hint_and_skips_the_rest()
    {
        using var h = new CheckerHarness();
        var cluster = sim.Mesh["cluster-1"];
        var kubeconfig = cluster.KubeconfigYaml.Replace(cluster.Token, "wrong-token", StringComparison.Ordinal);
        var report = await h.Checker.CheckAsync(kubeconfig, null, CancellationToken.None);

        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiAuth);
        Assert.Equal(CheckHints.Unauthorized, CheckerHarness.Stage(report, CheckStageIds.ApiAuth).Hint);
        Assert.Contains("401", CheckerHarness.Stage(report, CheckStageIds.ApiAuth).Message);
    }

    [Fact]
    public async Task Kubeconfig_with_another_ca_fails_api_tls()
    {
        using var other = new TestPki("Not the cluster's CA");
        using var h = new CheckerHarness();
        var kubeconfig = CaData().Replace(sim.Mesh["cluster-1"].KubeconfigYaml, "certificate-authority-data: " + other.CaData);
        var report = await h.Checker.CheckAsync(kubeconfig, null, CancellationToken.None);

        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiTls);
        Assert.Equal(CheckHints.TlsUntrusted, CheckerHarness.Stage(report, CheckStageIds.ApiTls).Hint);
    }

    [Fact]
    public async Task Api_down_fails_fast_before_credentials()
    {
        var cluster = sim.Mesh["bare"];
        using var h = new CheckerHarness();
        cluster.Faults.ApiDown = true;
        try
        {
            var watch = Stopwatch.StartNew();
            var report = await h.Checker.CheckAsync(cluster.KubeconfigYaml, null, CancellationToken.None);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
            var failed = Assert.Single(report.Stages, s => s.Result == CheckResult.Fail);
            Assert.Equal(CheckStageIds.ApiReachable, failed.Id);
            CheckerHarness.AssertFailedAt(report, failed.Id);
            // Depending on timing the reset lands in the TCP connect or right after it (before any certificate): either way
            // it is "not reachable", never a TLS fault.
            Assert.NotEqual(CheckHints.TlsUntrusted, failed.Hint);
        }
        finally
        {
            cluster.Faults.Reset();
        }
    }

    [Fact]
    public async Task Slow_api_server_times_out_in_the_stage_and_says_so()
    {
        var cluster = sim.Mesh["bare"];
        using var h = new CheckerHarness(stageTimeoutSeconds: 1, requestTimeoutSeconds: 5);
        cluster.Faults.ApiLatency = TimeSpan.FromSeconds(3);
        try
        {
            var watch = Stopwatch.StartNew();
            var report = await h.Checker.CheckAsync(cluster.KubeconfigYaml, null, CancellationToken.None);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
            CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiAuth);
            Assert.Contains("within 1 s", CheckerHarness.Stage(report, CheckStageIds.ApiAuth).Message);
        }
        finally
        {
            cluster.Faults.Reset();
        }
    }

    [Theory]
    [InlineData(503, "5xx")]
    [InlineData(429, "429")]
    public async Task Api_errors_fail_api_auth_with_a_matching_hint(int status, string hintPart)
    {
        var cluster = sim.Mesh["bare"];
        using var h = new CheckerHarness();
        if (status == 429)
            cluster.Faults.TooManyRequests = true;
        else
            cluster.Faults.ApiErrorStatus = status;
        try
        {
            var report = await h.Checker.CheckAsync(cluster.KubeconfigYaml, null, CancellationToken.None);
            CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiAuth);
            Assert.Contains(hintPart, CheckerHarness.Stage(report, CheckStageIds.ApiAuth).Hint);
        }
        finally
        {
            cluster.Faults.Reset();
        }
    }

    [Fact]
    public async Task Missing_istio_fails_its_stages_with_install_hints_but_not_the_connection()
    {
        var cluster = sim.Mesh["bare"];
        cluster.Delete("apps", "deployments", "istio-system", "istiod");
        cluster.Delete("", "services", "istio-system", "istio-ingressgateway");
        cluster.Delete("", "services", "istio-system", "istiocoredns");
        using var h = new CheckerHarness();
        var report = await h.Checker.CheckAsync(cluster.KubeconfigYaml, null, CancellationToken.None);

        Assert.All(report.Stages.Take(5), s => Assert.Equal(CheckResult.Pass, s.Result));
        Assert.Equal(CheckHints.IstiodMissing, CheckerHarness.Stage(report, CheckStageIds.IstioControlPlane).Hint);
        Assert.Equal(CheckHints.GatewayMissing, CheckerHarness.Stage(report, CheckStageIds.IstioGateway).Hint);
        Assert.Equal(CheckHints.DnsMissing, CheckerHarness.Stage(report, CheckStageIds.Dns).Hint);
        Assert.Equal("coredns", report.Facts.DnsProvider);
        Assert.Null(report.Facts.IstioVersion);
    }

    [GeneratedRegex(@"certificate-authority-data: \S+")]
    private static partial Regex CaData();
}
