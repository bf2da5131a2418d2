using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// What a request from a pod gets, from the objects of every simulated cluster at this moment.
/// The rules, in the order the packets meet them: DNS (<see cref="MeshResolver"/>); the source sidecar's listener for the
/// ServiceEntry port and its route for the Host header; each ServiceEntry endpoint in turn (the first that works wins, else
/// the first endpoint's failure): a known ingress gateway (<see cref="GatewayLocator"/>), not down, on its 15443 port; the
/// target's <c>*.global</c> passthrough (<see cref="GlobalPassthrough"/>); the target Service, its port and ready pods with
/// sidecars; then mTLS trust between the two clusters (<see cref="TrustVerifier"/>).
/// Answers where Envoy would answer differently from the product's contract are documented on <see cref="TargetAnswers"/>.
/// </summary>
internal static class MeshRouter
{
    public static MeshAnswer Send(MeshRequest request)
    {
        var resolution = MeshResolver.Resolve(request.Source, request.Pod, request.Host);
        var sidecar = PodFacts.HasSidecar(request.Pod);
        return resolution.Kind switch
        {
            ResolutionKind.Unresolved => new MeshAnswer(MeshVerdict.NotResolved, MeshTransport.NotResolved, resolution.Explanation),
            ResolutionKind.PodLocal => new MeshAnswer(MeshVerdict.PodLocalRefused, MeshTransport.Refused,
                $"nothing listens on port {request.Port} in the pod") { Address = resolution.Address },
            ResolutionKind.IpLiteral => Unroutable(request, resolution, sidecar, MeshVerdict.UnknownAddress, $"{resolution.Address} is not a known address"),
            ResolutionKind.ClusterService => Local(request, resolution, sidecar),
            _ => sidecar
                ? Global(request, resolution)
                : Unroutable(request, resolution, sidecar: false, MeshVerdict.NoSidecarUnroutable,
                    $"no sidecar captures traffic to the ServiceEntry address {resolution.Address}, which routes nowhere"),
        };
    }

    /// <summary>
    /// Traffic to an address nothing serves. Without a sidecar the SYN is dropped (curl's connect hangs). With one, the
    /// sidecar accepts, its passthrough cluster cannot connect upstream, and after Envoy's connect timeout it resets the
    /// client connection (curl exit 56, or 28 when curl's --max-time is shorter).
    /// </summary>
    private static MeshAnswer Unroutable(MeshRequest request, Resolution resolution, bool sidecar, MeshVerdict verdict, string why) =>
        new(verdict, sidecar ? MeshTransport.Reset : MeshTransport.ConnectHang, why)
        {
            Address = resolution.Address,
            Elapsed = EnvoyReplies.ConnectTimeout,
            RealDelay = request.Source.LinkLatency,
        };

    private static MeshAnswer Local(MeshRequest request, Resolution resolution, bool sidecar)
    {
        var service = resolution.Service!;
        var id = $"{service.Namespace()}/{service.Name()}";
        if (!service.Objects("spec", "ports").Any(p => p.Num("port") == request.Port))
        {
            return Unroutable(request, resolution, sidecar, MeshVerdict.LocalPortNotServed, $"Service {id} has no port {request.Port}") with { RealDelay = TimeSpan.Zero };
        }

        var ready = PodFacts.SelectedBy(request.Source, service).Where(PodFacts.IsReady).ToList();
        if (ready.Count == 0)
        {
            // With a sidecar Envoy answers itself; without one kube-proxy rejects connections to a Service without endpoints.
            return sidecar
                ? Reply(MeshVerdict.LocalNoReadyPods, $"Service {id} has no ready pods", resolution,
                    EnvoyReplies.ServiceUnavailable(EnvoyReplies.NoHealthyUpstream, request.Now), Timing.Local(request), TimeSpan.Zero)
                : new MeshAnswer(MeshVerdict.LocalNoReadyPods, MeshTransport.Refused, $"Service {id} has no ready pods") { Address = resolution.Address };
        }

        var ms = Timing.BaseMs(request);
        var forwarded = Timing.SidecarHeaders(request, ready[0], request.Source);
        var reply = HttpbinApp.Respond(request, sidecar ? forwarded : [], sidecar ? ms : null);
        return Reply(MeshVerdict.Ok, $"Service {id} in {request.Source.Name}", resolution, reply, Timing.Local(request), TimeSpan.Zero);
    }

    private static MeshAnswer Global(MeshRequest request, Resolution resolution)
    {
        var se = resolution.ServiceEntry!;
        var id = $"ServiceEntry {se.Namespace()}/{se.Name()}";
        var sePort = se.Objects("spec", "ports").FirstOrDefault(p => p.Num("number") == request.Port);
        if (sePort is null)
        {
            return Unroutable(request, resolution, sidecar: true, MeshVerdict.PortNotInServiceEntry,
                $"{id} has no port {request.Port}: the sidecar passes the connection through to {resolution.Address}, which routes nowhere");
        }

        var hostHeader = StripPort(request.HostHeader);
        var routable = se.Strings("spec", "hosts").Concat(se.Strings("spec", "addresses"));
        if (!routable.Any(h => string.Equals(h, hostHeader, StringComparison.OrdinalIgnoreCase)))
        {
            return Reply(MeshVerdict.HostHeaderNoRoute, $"no route for Host {hostHeader} on the sidecar's listener for {id}", resolution,
                EnvoyReplies.NotFound(request.Now), Timing.Local(request), TimeSpan.Zero);
        }

        var endpoints = se.Objects("spec", "endpoints").ToList();
        if (endpoints.Count == 0)
        {
            return Reply(MeshVerdict.NoEndpoints, $"{id} has no endpoints", resolution,
                EnvoyReplies.ServiceUnavailable(EnvoyReplies.NoHealthyUpstream, request.Now), Timing.Local(request), TimeSpan.Zero);
        }

        MeshAnswer? first = null;
        foreach (var endpoint in endpoints)
        {
            var answer = TargetAnswers.ViaEndpoint(request, resolution, sePort, endpoint);
            if (answer.Verdict == MeshVerdict.Ok)
            {
                return answer;
            }

            first ??= answer;
        }

        return first!;
    }

    internal static MeshAnswer Reply(MeshVerdict verdict, string why, Resolution resolution, HttpReply reply, TimeSpan elapsed, TimeSpan realDelay) =>
        new(verdict, MeshTransport.Reply, why) { Address = resolution.Address, Reply = reply, Elapsed = elapsed, RealDelay = realDelay };

    private static string StripPort(string hostHeader)
    {
        var colon = hostHeader.LastIndexOf(':');
        return colon > 0 && !hostHeader.EndsWith(']') ? hostHeader[..colon] : hostHeader;
    }
}
