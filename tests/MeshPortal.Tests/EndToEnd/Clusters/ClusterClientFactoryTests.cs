using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Tests.EndToEnd.Clusters;

/// <summary>Client building and error mapping that need no API server.</summary>
[Trait("Speed", "EndToEnd")]
public class ClusterClientFactoryTests
{
    private static readonly TestPki Pki = new();

    private static string Kubeconfig(string server, string user = "token: secret-abc") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {"{"}server: "{server}", certificate-authority-data: {Pki.CaData}{"}"}
        contexts:
        - name: ctx
          context: {"{"}cluster: c, user: u{"}"}
        users:
        - name: u
          user: {"{"}{user}{"}"}
        current-context: ctx
        """;

    [Fact]
    public void Refused_kubeconfig_gives_a_bad_configuration_error_without_secrets()
    {
        using var h = new CheckerHarness();
        var conn = new ClusterConnection(1, "c", Kubeconfig("https://127.0.0.1:1", "token: secret-abc, exec: {command: evil}"), "ctx", 1);

        var ex = Assert.Throws<ClusterCallException>(() => h.Clients.GetClient(conn));
        Assert.Equal(ClusterCallErrorKind.BadConfiguration, ex.Kind);
        Assert.Contains("evil", ex.Message);
        Assert.DoesNotContain("secret-abc", ex.ToString());
    }

    [Fact]
    public void Connection_record_does_not_print_the_kubeconfig() =>
        Assert.DoesNotContain("secret-abc", new ClusterConnection(1, "c", Kubeconfig("https://127.0.0.1:1"), "ctx", 1).ToString());

    [Fact]
    public void Replaced_and_evicted_clients_are_disposed()
    {
        using var h = new CheckerHarness();
        var v1 = (k8s.Kubernetes)h.Clients.GetClient(new ClusterConnection(5, "c", Kubeconfig("https://127.0.0.1:1"), "ctx", 1));
        var v2 = (k8s.Kubernetes)h.Clients.GetClient(new ClusterConnection(5, "c", Kubeconfig("https://127.0.0.1:1"), "ctx", 2));

        // Kubernetes.Dispose() disposes its HttpClient and clears the property.
        Assert.Null(v1.HttpClient);
        Assert.NotNull(v2.HttpClient);
        h.Clients.Evict(5);
        Assert.Null(v2.HttpClient);
    }

    [Fact]
    public async Task Closed_port_is_unreachable()
    {
        // The answer comes as soon as the connection is refused; the bound only has to cover a loaded machine (2 s did not, at load 20).
        using var h = new CheckerHarness(requestTimeoutSeconds: 30);
        var conn = new ClusterConnection(9, "c", Kubeconfig($"https://127.0.0.1:{TestListener.ClosedPort()}"), "ctx", 1);

        var ex = await Assert.ThrowsAsync<ClusterCallException>(() => h.Gateway.GetVersionAsync(conn, CancellationToken.None));
        Assert.Equal(ClusterCallErrorKind.Unreachable, ex.Kind);
    }

    [Fact]
    public async Task Certificate_from_another_ca_is_tls_untrusted()
    {
        using var serverPki = new TestPki("Cluster CA");
        using var cert = serverPki.IssueServer("127.0.0.1");
        await using var listener = TestListener.Tls(cert);
        // The answer comes as soon as the handshake fails; within 2 s, client creation plus the handshake timed out at load 20.
        using var h = new CheckerHarness(requestTimeoutSeconds: 30);
        var conn = new ClusterConnection(10, "c", Kubeconfig(listener.Url), "ctx", 1);

        var ex = await Assert.ThrowsAsync<ClusterCallException>(() => h.Gateway.GetVersionAsync(conn, CancellationToken.None));
        Assert.Equal(ClusterCallErrorKind.TlsUntrusted, ex.Kind);
    }

    [Fact]
    public async Task Caller_cancellation_stays_a_cancellation()
    {
        await using var listener = TestListener.Silent();
        using var h = new CheckerHarness(requestTimeoutSeconds: 30);
        var conn = new ClusterConnection(11, "c", Kubeconfig(listener.Url), "ctx", 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Gateway.GetVersionAsync(conn, cts.Token));
    }
}
