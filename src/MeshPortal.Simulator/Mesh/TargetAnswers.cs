using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// One ServiceEntry endpoint, from the source sidecar to the target cluster's service. Every failure is a reply of the
/// source sidecar, as curl sees it through the sidecar:
/// <list type="bullet">
/// <item>endpoint not a simulated gateway, or that gateway down: Envoy's upstream connect times out (10 s simulated), then
/// <c>503 ... reset reason: connection failure</c>; curl with <c>--max-time</c> below 10 s exits 28 first.</item>
/// <item>gateway address but not its 15443 port (or nodePort): refused at once → 503 connection failure.</item>
/// <item>Istio ≥ 1.10 target without a 15443 AUTO_PASSTHROUGH Gateway: refused → 503 connection failure; with the Gateway
/// but no SNI-rewrite EnvoyFilter: the gateway cuts the handshake → 503 connection termination.</item>
/// <item>no such Service (or namespace) in the target: <c>404 Not Found</c> from Envoy (product contract, status NotFound;
/// a real 1.6 gateway would cut the TLS handshake, a 503 connection termination).</item>
/// <item>Service without the requested port, or without ready pods: <c>503 no healthy upstream</c>.</item>
/// <item>ready pods but none with a sidecar to terminate mTLS: 503 connection termination.</item>
/// <item>roots do not match: 503 with the CERTIFICATE_VERIFY_FAILED transport failure.</item>
/// </list>
/// </summary>
internal static class TargetAnswers
{
    public static MeshAnswer ViaEndpoint(MeshRequest request, Resolution resolution, JsonObject sePort, JsonObject endpoint)
    {
        var now = request.Now;
        var latency = request.Source.LinkLatency;
        var address = endpoint.Str("address") ?? "";
        var port = (int)(endpoint.Num("ports", sePort.Str("name") ?? "") ?? request.Port);
        var hit = GatewayLocator.Find(request.Mesh, address, port);
        MeshAnswer Fail(MeshVerdict verdict, string why, string body, TimeSpan? elapsed = null) => MeshRouter.Reply(verdict, why, resolution,
            EnvoyReplies.ServiceUnavailable(body, now), elapsed ?? Timing.CrossCluster(request), latency);

        if (hit is null)
        {
            return Fail(MeshVerdict.UnknownEndpoint, $"endpoint {address}:{port} is no simulated cluster's ingress gateway; the connection times out",
                EnvoyReplies.ConnectionFailure, EnvoyReplies.ConnectTimeout + latency);
        }

        var target = hit.Cluster;
        if (target.GatewayDown)
        {
            return Fail(MeshVerdict.GatewayDown, $"the ingress gateway of {target.Name} is down (fault); the connection times out",
                EnvoyReplies.ConnectionFailure, EnvoyReplies.ConnectTimeout + latency);
        }

        if (!hit.PortIsPassthrough)
        {
            return Fail(MeshVerdict.GatewayPortWrong, $"endpoint port {port} is not the passthrough port: {hit.Explanation}", EnvoyReplies.ConnectionFailure);
        }

        var (state, passthroughWhy) = GlobalPassthrough.Check(target);
        if (state == PassthroughState.NoListener)
        {
            return Fail(MeshVerdict.PassthroughListenerMissing, passthroughWhy, EnvoyReplies.ConnectionFailure);
        }

        if (state == PassthroughState.NoSniRewrite)
        {
            return Fail(MeshVerdict.SniRewriteMissing, passthroughWhy, EnvoyReplies.ConnectionTermination);
        }

        // The SNI (outbound_.PORT_._.HOST) names the ServiceEntry host, whatever address or Host header the client used.
        var hosts = resolution.ServiceEntry!.Strings("spec", "hosts").ToList();
        var host = hosts.FirstOrDefault(h => string.Equals(h, request.Host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)) ?? hosts.FirstOrDefault() ?? request.Host;
        var labels = host.ToLowerInvariant().Split('.');
        var service = labels.Length == 3 ? target.Get("", "services", labels[1], labels[0]) : null;
        if (service is null)
        {
            var name = labels.Length == 3 ? $"{labels[1]}/{labels[0]}" : host;
            return MeshRouter.Reply(MeshVerdict.TargetServiceMissing, $"no Service {name} in {target.Name}", resolution,
                EnvoyReplies.NotFound(now), Timing.CrossCluster(request), latency);
        }

        var id = $"{service.Namespace()}/{service.Name()} in {target.Name}";
        if (!service.Objects("spec", "ports").Any(p => p.Num("port") == request.Port))
        {
            return Fail(MeshVerdict.TargetPortMissing, $"Service {id} has no port {request.Port}", EnvoyReplies.NoHealthyUpstream);
        }

        var ready = PodFacts.SelectedBy(target, service).Where(PodFacts.IsReady).ToList();
        if (ready.Count == 0)
        {
            return Fail(MeshVerdict.TargetNoReadyPods, $"Service {id} has no ready pods", EnvoyReplies.NoHealthyUpstream);
        }

        var withSidecar = ready.FirstOrDefault(PodFacts.HasSidecar);
        if (withSidecar is null)
        {
            return Fail(MeshVerdict.TargetWithoutSidecar, $"no ready pod of Service {id} has an istio-proxy sidecar to terminate mTLS", EnvoyReplies.ConnectionTermination);
        }

        var trust = TrustVerifier.Shared.Check(request.Source, target, now);
        if (!trust.Trusted)
        {
            return Fail(MeshVerdict.TrustMismatch, trust.Explanation, EnvoyReplies.CertificateVerifyFailed);
        }

        var reply = HttpbinApp.Respond(request, Timing.SidecarHeaders(request, withSidecar, target), Timing.CrossClusterMs(request));
        return MeshRouter.Reply(MeshVerdict.Ok, $"Service {id} via {address}:{port}", resolution, reply, Timing.CrossCluster(request), latency);
    }
}
