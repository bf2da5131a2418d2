using System.Diagnostics;
using System.Net.Sockets;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Kubernetes;
using Microsoft.Extensions.Options;
using k8s;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>
/// The staged connection check: kubeconfig → TCP → TLS → credentials → Kubernetes version → istiod → ingress gateway → DNS.
/// Each stage has a time limit; when one fails, the stages that need it are skipped with the reason.
/// </summary>
public sealed class ConnectionChecker(IOptionsMonitor<ClusterAccessOptions> options, IClusterClientFactory clients, TimeProvider clock)
    : IClusterConnectionChecker
{
    public async Task<ConnectionCheckReport> CheckAsync(string kubeconfigText, string? context, CancellationToken ct)
    {
        var startedAt = clock.GetUtcNow();
        var settings = options.CurrentValue;
        var run = new StageRunner(settings.StageTimeout, ct);
        var facts = new ClusterFacts();

        KubeconfigParseResult? parsed = null;
        if (!await run.RunAsync(CheckStageIds.KubeconfigParse, _ => Task.FromResult(Parse(kubeconfigText, context, settings.ToPolicy(), out parsed))))
            return Finish(run, CheckStageIds.KubeconfigParse, facts, startedAt);

        var selected = parsed!.Selected!;
        var server = new Uri(selected.Server!);
        var port = server.IsDefaultPort ? (server.Scheme == Uri.UriSchemeHttps ? 443 : 80) : server.Port;
        using var tcp = new TcpClient();
        if (!await run.RunAsync(CheckStageIds.ApiReachable, t => ConnectAsync(tcp, server.IdnHost, port, t)))
            return Finish(run, CheckStageIds.ApiReachable, facts, startedAt);

        if (server.Scheme == Uri.UriSchemeHttp)
        {
            run.Skip(CheckStageIds.ApiTls, "Skipped: the server uses plain HTTP (allowed by the portal's settings), so there is no certificate to check.");
        }
        else
        {
            TlsProbeResult? tls = null;
            if (!await run.RunAsync(CheckStageIds.ApiTls, async t =>
                {
                    tls = await TlsProbe.HandshakeAsync(tcp.GetStream(), server.IdnHost, selected, t).ConfigureAwait(false);
                    return tls.Trusted ? StageOutcome.Pass(tls.Message) : StageOutcome.Fail(tls.Message, tls.Hint ?? CheckHints.TlsUntrusted);
                }))
            {
                // A connection closed before any certificate is not a TLS problem: nothing answers there, so the API
                // server is not reachable (what an API server down behind a load balancer looks like).
                if (tls is { NoAnswer: true })
                {
                    run.MoveFailure(CheckStageIds.ApiTls, CheckStageIds.ApiReachable);
                    return Finish(run, CheckStageIds.ApiReachable, facts, startedAt);
                }
                return Finish(run, CheckStageIds.ApiTls, facts, startedAt);
            }
        }
        tcp.Close();

        IKubernetes? client = null;
        try
        {
            if (!await run.RunAsync(CheckStageIds.ApiAuth, async t =>
                {
                    client = clients.CreateTransient(kubeconfigText, selected.Name);
                    return await AuthAsync(client, selected, t).ConfigureAwait(false);
                }))
            {
                return Finish(run, CheckStageIds.ApiAuth, facts, startedAt);
            }

            var k = client!;
            await run.RunAsync(CheckStageIds.KubernetesVersion, async t =>
            {
                var version = await KubeOperations.GetVersionAsync(k, t).ConfigureAwait(false);
                facts = facts with { KubernetesVersion = version.GitVersion };
                var ssa = KubernetesRules.ServerSideApply(version.GitVersion);
                return ssa.Supported
                    ? StageOutcome.Pass($"Kubernetes {version.GitVersion} ({version.Platform}).")
                    : StageOutcome.Fail(ssa.Reason, ssa.Hint!);
            });

            var istio = new IstioStages(k);
            await run.RunAsync(CheckStageIds.IstioControlPlane, async t =>
            {
                var (outcome, version) = await istio.ControlPlaneAsync(t).ConfigureAwait(false);
                facts = facts with { IstioVersion = version };
                return outcome;
            });
            await run.RunAsync(CheckStageIds.IstioGateway, async t =>
            {
                var (outcome, endpoint) = await istio.GatewayAsync(facts.IstioVersion, t).ConfigureAwait(false);
                facts = facts with { GatewayAddress = endpoint?.Address, GatewayPort = endpoint?.Address is null ? null : endpoint.Port };
                return outcome;
            });
            await run.RunAsync(CheckStageIds.Dns, async t =>
            {
                var (outcome, dns) = await istio.DnsAsync(facts.IstioVersion, t).ConfigureAwait(false);
                facts = facts with { IstioCoreDnsAddress = dns.CoreDnsAddress, DnsProxying = dns.Proxying, DnsProvider = dns.Provider };
                return outcome;
            });
            await run.RunAsync(CheckStageIds.MeshModel, async t =>
            {
                var objects = await MeshObjectsLoader.LoadAsync(k, facts.KubernetesVersion, t).ConfigureAwait(false);
                var mesh = MeshFactsReader.Read(objects);
                facts = facts with { Mesh = mesh };
                var (message, hint) = MeshModelSummary.Describe(mesh);
                return StageOutcome.Pass(message, hint);
            });
            return new ConnectionCheckReport(run.Stages, facts, startedAt);
        }
        finally
        {
            client?.Dispose();
        }
    }

    private static ConnectionCheckReport Finish(StageRunner run, string failedId, ClusterFacts facts, DateTimeOffset startedAt)
    {
        run.SkipRemaining(failedId);
        return new ConnectionCheckReport(run.Stages, facts, startedAt);
    }

    private static StageOutcome Parse(string text, string? context, KubeconfigPolicy policy, out KubeconfigParseResult result)
    {
        result = KubeconfigParser.Parse(text, policy, context);
        if (!result.IsValid)
            return StageOutcome.Fail(string.Join(" ", result.Errors.Select(e => e.Message)), CheckHints.KubeconfigRefused);
        var s = result.Selected!;
        return StageOutcome.Pass($"Context '{s.Name}': cluster '{s.Cluster}' at {s.Server}, user '{s.User ?? "(none)"}' ({s.AuthKind}).");
    }

    private static async Task<StageOutcome> ConnectAsync(TcpClient tcp, string host, int port, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
            return StageOutcome.Pass($"Connected to {host}:{port} in {watch.ElapsedMilliseconds} ms.");
        }
        catch (SocketException ex)
        {
            var why = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "the connection was refused (nothing listens on that port)",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => $"the host name '{host}' does not resolve from the portal's host",
                SocketError.TimedOut => "the connection timed out",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "there is no route to that address",
                _ => ex.SocketErrorCode.ToString(),
            };
            return StageOutcome.Fail($"Cannot connect to {host}:{port}: {why}.", CheckHints.Unreachable);
        }
    }

    private static async Task<StageOutcome> AuthAsync(IKubernetes client, KubeconfigContextInfo selected, CancellationToken ct)
    {
        try
        {
            await KubeOperations.GetApiVersionsAsync(client, ct).ConfigureAwait(false);
            return StageOutcome.Pass($"The API server accepted the credentials of user '{selected.User ?? "(none)"}' ({selected.AuthKind}).");
        }
        catch (ClusterCallException ex) when (ex.Kind is ClusterCallErrorKind.Unauthorized or ClusterCallErrorKind.Forbidden)
        {
            return StageOutcome.Fail(ex.Message, ex.Kind == ClusterCallErrorKind.Unauthorized ? CheckHints.Unauthorized : CheckHints.Forbidden);
        }
    }
}
