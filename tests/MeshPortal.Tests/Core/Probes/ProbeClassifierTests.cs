using MeshPortal.Core.Features.Probes;

namespace MeshPortal.Tests.Core.Probes;

/// <summary>Classification table from the simulated mesh's curl outputs (MESH-RULES.md) and Envoy's reply strings.</summary>
[Trait("Speed", "Fast")]
public sealed class ProbeClassifierTests
{
    private const string Host = "httpbin.bar.global";
    private const string Tls503 = "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED";

    [Theory]
    [InlineData(0, 200, "{\"headers\":{}}", ProbeStatus.Ok)]
    [InlineData(0, 418, "I'm a teapot", ProbeStatus.Ok)]
    [InlineData(6, 0, "curl: (6) Could not resolve host: httpbin.bar.global", ProbeStatus.Dns)]
    [InlineData(28, 0, "curl: (28) Operation timed out after 5000 milliseconds with 0 bytes received", ProbeStatus.Connect)]
    [InlineData(7, 0, "curl: (7) Failed to connect to httpbin.bar.global port 8000 after 0 ms: Connection refused", ProbeStatus.Connect)]
    [InlineData(56, 0, "curl: (56) Recv failure: Connection reset by peer", ProbeStatus.Connect)]
    [InlineData(35, 0, "curl: (35) error:1408F10B:SSL routines:ssl3_get_record:wrong version number", ProbeStatus.Tls)]
    [InlineData(0, 503, Tls503, ProbeStatus.Tls)]
    [InlineData(0, 503, "no healthy upstream", ProbeStatus.NoUpstream)]
    [InlineData(0, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure", ProbeStatus.Connect)]
    [InlineData(0, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection termination", ProbeStatus.NoUpstream)]
    [InlineData(0, 404, "", ProbeStatus.NotFound)]
    [InlineData(2, 0, "curl: option --bogus: is unknown", ProbeStatus.Unknown)]
    public void Classifies_curl_outputs(int exit, int code, string text, ProbeStatus expected)
    {
        var result = ProbeClassifier.Classify(new CurlOutcome(code, 0.012, exit, text), Host, 8000);
        Assert.Equal(expected, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        if (ProbeStatuses.IsFailure(expected))
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Hint));
        }
    }

    [Fact]
    public void Hints_name_what_to_check()
    {
        Assert.Contains("stub domain", ProbeClassifier.Classify(new CurlOutcome(0, 0, 6, ""), Host, 8000).Hint);
        Assert.Contains("same root", ProbeClassifier.Classify(new CurlOutcome(503, 0, 0, Tls503), Host, 8000).Hint);
        Assert.Contains("15443", ProbeClassifier.Classify(new CurlOutcome(0, 5, 28, ""), Host, 8000).Hint);
        Assert.Contains("Ready pods", ProbeClassifier.Classify(new CurlOutcome(503, 0, 0, "no healthy upstream"), Host, 8000).Hint);
        Assert.Contains("VIP", ProbeClassifier.Classify(new CurlOutcome(404, 0, 0, ""), Host, 8000).Hint);
    }

    [Fact]
    public void Api_unreachable_is_unknown_and_pod_missing_is_its_own_class()
    {
        Assert.Equal(ProbeStatus.Unknown, ProbeClassifier.ApiUnreachable("Listing pods in foo: cannot connect").Status);
        var missing = ProbeClassifier.PodMissing("foo", "app=sleep");
        Assert.Equal(ProbeStatus.ProbePodMissing, missing.Status);
        Assert.Contains("app=sleep", missing.Message);
        Assert.False(ProbeStatuses.IsFailure(ProbeStatus.Unknown));
    }

    [Theory]
    [InlineData(6, 0, "curl: (6) Could not resolve host: web.bar.svc.cluster.local", "selector-less Service")]
    [InlineData(0, 503, "no healthy upstream", "remote secret")]
    [InlineData(0, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection termination", "cross-network-gateway")]
    [InlineData(0, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure", "east-west gateway")]
    public void Multi_primary_names_get_multi_primary_hints(int exit, int code, string text, string hint)
    {
        var result = ProbeClassifier.Classify(new CurlOutcome(code, 0.012, exit, text), "web.bar.svc.cluster.local", 8000);
        Assert.Contains(hint, result.Hint);
        Assert.DoesNotContain(".global", result.Hint);
    }

    [Theory]
    [InlineData(6, 0, "curl: (6) Could not resolve host: web.bar.svc.cluster.local", ProbeStatus.Dns, ModernHints.DnsMissing)]
    [InlineData(0, 503, "no healthy upstream", ProbeStatus.NoUpstream, ModernHints.NoRemoteSecret)]
    [InlineData(0, 503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure", ProbeStatus.Connect, ModernHints.EastWestDown)]
    public void Multi_primary_failures_name_their_class_first(int exit, int code, string text, ProbeStatus status, string modernClass)
    {
        var result = ProbeClassifier.Classify(new CurlOutcome(code, 0.012, exit, text), "web.bar.svc.clusterset.local", 8000);
        Assert.Equal(status, result.Status);
        Assert.StartsWith(modernClass + ":", result.Hint, StringComparison.Ordinal);

        var global = ProbeClassifier.Classify(new CurlOutcome(code, 0.012, exit, text), Host, 8000);
        Assert.DoesNotContain(modernClass, global.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web.bar.svc.cluster.local")]
    [InlineData(Host)]
    public void An_authorization_policy_denial_is_rbac_denied_while_a_plain_403_still_answers(string host)
    {
        var denied = ProbeClassifier.Classify(new CurlOutcome(403, 0.012, 0, "RBAC: access denied"), host, 8000);
        Assert.Equal(ProbeStatus.RbacDenied, denied.Status);
        Assert.True(ProbeStatuses.IsFailure(denied.Status));
        Assert.Equal("HTTP 403: RBAC: access denied", denied.Message);
        Assert.Contains("AuthorizationPolicy", denied.Hint);

        var app = ProbeClassifier.Classify(new CurlOutcome(403, 0.012, 0, "<html>Forbidden by the app</html>"), host, 8000);
        Assert.Equal(ProbeStatus.Ok, app.Status);
    }
}
