using System.Diagnostics;
using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Tests.EndToEnd.Clusters;

/// <summary>The first stages of the check against raw sockets on 127.0.0.1 (no API server needed).</summary>
[Trait("Speed", "EndToEnd")]
public class ConnectionCheckerNetworkTests
{
    private static readonly TestPki DefaultPki = new("Unused CA");

    private static string Kubeconfig(string server, string? caData = null, string extra = "") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: {server}
            certificate-authority-data: {caData ?? DefaultPki.CaData}
        {extra}
        contexts:
        - name: ctx
          context: {"{"}cluster: c, user: u{"}"}
        users:
        - name: u
          user: {"{"}token: secret-token-xyz{"}"}
        current-context: ctx
        """;

    [Fact]
    public async Task Refused_kubeconfig_fails_parse_and_skips_everything_else()
    {
        using var h = new CheckerHarness();
        var report = await h.Checker.CheckAsync(Kubeconfig("http://127.0.0.1:1"), null, CancellationToken.None);

        CheckerHarness.AssertFailedAt(report, CheckStageIds.KubeconfigParse);
        Assert.Contains("plain HTTP", CheckerHarness.Stage(report, CheckStageIds.KubeconfigParse).Message);
    }

    [Fact]
    public async Task Closed_port_fails_api_reachable_quickly()
    {
        using var h = new CheckerHarness();
        var watch = Stopwatch.StartNew();
        var report = await h.Checker.CheckAsync(Kubeconfig($"https://127.0.0.1:{TestListener.ClosedPort()}"), null, CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiReachable);
        var stage = CheckerHarness.Stage(report, CheckStageIds.ApiReachable);
        Assert.Contains("refused", stage.Message);
        Assert.Equal(CheckHints.Unreachable, stage.Hint);
        Assert.Equal(CheckResult.Pass, CheckerHarness.Stage(report, CheckStageIds.KubeconfigParse).Result);
    }

    [Fact]
    public async Task Port_that_closes_the_connection_fails_api_reachable_not_tls()
    {
        // What an API server down behind a load balancer looks like: the connection is accepted, then closed before any
        // certificate. That is "nothing answers here", not a TLS problem (it was reported as api.tls with the CA hint).
        await using var listener = TestListener.Closing();
        using var h = new CheckerHarness();
        var report = await h.Checker.CheckAsync(Kubeconfig(listener.Url), null, CancellationToken.None);

        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiReachable);
        var stage = CheckerHarness.Stage(report, CheckStageIds.ApiReachable);
        Assert.Contains("closed it without answering the TLS handshake", stage.Message);
        Assert.Contains("down behind its load balancer", stage.Hint);
        var tls = CheckerHarness.Stage(report, CheckStageIds.ApiTls);
        Assert.Equal(CheckResult.Skip, tls.Result);
    }

    [Fact]
    public async Task Silent_server_times_out_in_the_tls_stage_and_says_so()
    {
        await using var listener = TestListener.Silent();
        using var h = new CheckerHarness(stageTimeoutSeconds: 1);
        var watch = Stopwatch.StartNew();
        var report = await h.Checker.CheckAsync(Kubeconfig(listener.Url), null, CancellationToken.None);

        // The silent server never answers: without the stage timeout this would hang. The bounds only prove the timeout cut
        // it (generous, so a loaded machine does not fail it; performance lives in the benchmarks).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiTls);
        var stage = CheckerHarness.Stage(report, CheckStageIds.ApiTls);
        Assert.Contains("within 1 s", stage.Message);
        Assert.InRange(stage.DurationMs, 900, 10000);
    }

    [Fact]
    public async Task Certificate_from_another_ca_fails_api_tls_with_the_ca_hint()
    {
        using var serverPki = new TestPki("Cluster CA");
        using var otherPki = new TestPki("Some other CA");
        using var cert = serverPki.IssueServer("127.0.0.1");
        await using var listener = TestListener.Tls(cert);
        using var h = new CheckerHarness();
        var report = await h.Checker.CheckAsync(Kubeconfig(listener.Url, otherPki.CaData), null, CancellationToken.None);

        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiTls);
        Assert.Equal(CheckHints.TlsUntrusted, CheckerHarness.Stage(report, CheckStageIds.ApiTls).Hint);
    }

    [Fact]
    public async Task Certificate_from_the_kubeconfig_ca_passes_api_tls()
    {
        using var pki = new TestPki();
        using var cert = pki.IssueServer("127.0.0.1");
        await using var listener = TestListener.Tls(cert);
        using var h = new CheckerHarness();
        var report = await h.Checker.CheckAsync(Kubeconfig(listener.Url, pki.CaData), null, CancellationToken.None);

        var tls = CheckerHarness.Stage(report, CheckStageIds.ApiTls);
        Assert.Equal(CheckResult.Pass, tls.Result);
        Assert.Contains("signed by the kubeconfig's certificate-authority-data", tls.Message);
        // The listener is not an API server, so the credentials stage cannot pass.
        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiAuth);
    }

    [Fact]
    public async Task Host_name_not_on_the_certificate_fails_api_tls_and_tls_server_name_fixes_it()
    {
        using var pki = new TestPki();
        using var cert = pki.IssueServer("apiserver.internal");
        await using var listener = TestListener.Tls(cert);
        using var h = new CheckerHarness();

        var report = await h.Checker.CheckAsync(Kubeconfig(listener.Url, pki.CaData), null, CancellationToken.None);
        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiTls);
        Assert.Contains("tls-server-name", CheckerHarness.Stage(report, CheckStageIds.ApiTls).Hint);
        Assert.Contains("apiserver.internal", CheckerHarness.Stage(report, CheckStageIds.ApiTls).Message);

        var fixedConfig = Kubeconfig(listener.Url, pki.CaData).Replace("    certificate-authority-data", "    tls-server-name: apiserver.internal\n    certificate-authority-data", StringComparison.Ordinal);
        var fixedReport = await h.Checker.CheckAsync(fixedConfig, null, CancellationToken.None);
        Assert.Equal(CheckResult.Pass, CheckerHarness.Stage(fixedReport, CheckStageIds.ApiTls).Result);
    }

    [Fact]
    public async Task Messages_never_contain_the_token()
    {
        using var pki = new TestPki();
        using var cert = pki.IssueServer("127.0.0.1");
        await using var listener = TestListener.Tls(cert);
        using var h = new CheckerHarness();
        var report = await h.Checker.CheckAsync(Kubeconfig(listener.Url, pki.CaData), null, CancellationToken.None);

        Assert.All(report.Stages, s => Assert.DoesNotContain("secret-token-xyz", s.Message + s.Hint));
    }

    [Fact]
    public async Task Plain_http_server_allowed_by_policy_skips_the_tls_stage()
    {
        await using var listener = TestListener.Closing();
        using var h = new CheckerHarness(allowHttp: true);
        var report = await h.Checker.CheckAsync(Kubeconfig($"http://127.0.0.1:{listener.Port}"), null, CancellationToken.None);

        var tls = CheckerHarness.Stage(report, CheckStageIds.ApiTls);
        Assert.Equal(CheckResult.Skip, tls.Result);
        Assert.Contains("plain HTTP", tls.Message);
        CheckerHarness.AssertFailedAt(report, CheckStageIds.ApiAuth);
    }
}
