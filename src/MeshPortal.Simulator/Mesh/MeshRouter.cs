using MeshPortal.Simulator.Mesh.Dataplane;
using MeshPortal.Simulator.Mesh.Discovery;
using MeshPortal.Simulator.Mesh.State;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// What a request from a pod gets, from the objects, the proxies' config and certificates of every simulated cluster at this moment,
/// in the order the packets meet the rules (MESH-RULES.md): DNS (<see cref="Dns"/>); the client sidecar's config (none: refused), its
/// listener and route (<see cref="Outbound"/>); EDS with cluster-local/MCS scoping (<see cref="PushContext.Endpoints"/>), client TLS
/// (<see cref="ClientTls"/>) and the network filter (<see cref="NetworkFilter"/>); then each endpoint in turn (the first that works
/// wins, else the first failure): a pod reached directly (same network) or a gateway address (<see cref="ThroughGateway"/>); and the
/// server side (<see cref="Inbound"/>): sidecar, mutual trust of the certificates both proxies hold, AuthorizationPolicy, the app.
/// </summary>
internal static class MeshRouter
{
    public static MeshAnswer Send(MeshRequest request)
    {
        var source = request.Source;
        var snapshot = source.Snapshot();
        var uid = request.Pod.Str("metadata", "uid");
        var pod = snapshot.Pods.FirstOrDefault(p => p.Uid == uid) ?? PodInfo.From(request.Pod);
        var config = PushContexts.ForProxy(request.Mesh, source, pod);
        var resolution = Dns.Resolve(source, snapshot, pod, config, request.Host);
        if (!resolution.Resolved)
        {
            return new MeshAnswer(MeshVerdict.NotResolved, MeshTransport.NotResolved, resolution.Explanation);
        }

        var address = resolution.Address!;
        if (resolution.PodLocal)
        {
            return new MeshAnswer(MeshVerdict.PodLocalRefused, MeshTransport.Refused, $"nothing listens on port {request.Port} in the pod") { Address = address };
        }

        var flow = new Flow(request, pod, address);
        if (!pod.HasSidecar)
        {
            return WithoutSidecar(flow, snapshot);
        }

        if (config is null)
        {
            return new MeshAnswer(MeshVerdict.NoProxyConfig, MeshTransport.Refused,
                $"the pod's sidecar never got config from istiod (no serving istiod of revision {pod.Revision} when it started): its listeners are missing")
            { Address = address };
        }

        var route = Outbound.Route(config, pod, address, request.Port, request.HostHeader);
        if (route.Service is { } service)
        {
            return ToService(flow, config, service);
        }

        if (route.RegistryOnly)
        {
            return route.Http
                ? flow.Reply(MeshVerdict.RegistryOnlyBlocked, route.Explanation, EnvoyReplies.BadGateway(request.Now), source)
                : new MeshAnswer(MeshVerdict.RegistryOnlyBlocked, MeshTransport.Reset, route.Explanation) { Address = address, Elapsed = TimeSpan.FromMilliseconds(1) };
        }

        return Passthrough(flow, snapshot, route.Explanation, route.Http);
    }

    /// <summary>The client sidecar's cluster for the service: its endpoints, each tried in turn.</summary>
    private static MeshAnswer ToService(Flow flow, PushContext config, MeshService service)
    {
        var request = flow.Request;
        var endpoints = config.Endpoints(service, request.Port);
        var id = service.ServiceEntry is { } se ? $"ServiceEntry {se.Namespace()}/{se.Name()} ({service.Hostname})" : service.Hostname;
        if (endpoints.Count == 0)
        {
            return flow.Fail(MeshVerdict.NoHealthyUpstream, $"{id} has no endpoints the sidecar may use{WhyNoEndpoints(config, service)}",
                EnvoyReplies.NoHealthyUpstream, request.Source);
        }

        var tls = endpoints.ToDictionary(e => e, e => ClientTls.For(config, flow.Pod.Namespace, service, request.Port, e));
        var filtered = NetworkFilter.Apply(config, flow.Pod, endpoints, e => tls[e].Kind == TlsKind.IstioMutual);
        if (filtered.Count == 0)
        {
            return flow.Fail(MeshVerdict.NoHealthyUpstream,
                $"{id}: every endpoint is on another network and needs Istio mTLS to cross it ({tls.Values.First().Why})", EnvoyReplies.NoHealthyUpstream, request.Source);
        }

        MeshAnswer? first = null;
        foreach (var endpoint in filtered)
        {
            var choice = endpoint.Gateway is null ? tls[endpoint] : ClientTls.For(config, flow.Pod.Namespace, service, request.Port, endpoint with { TlsModeIstio = true });
            var answer = endpoint.Pod is not null && endpoint.Registry is not null
                ? Direct(flow, request.Source, endpoint.Registry.Cluster, endpoint.Pod, endpoint.Port, choice)
                : ToAddress(flow, endpoint.Address, endpoint.Port, choice, endpoint.Gateway is null ? "" : $" (network gateway of {endpoint.Gateway.Network})");
            if (answer.Verdict == MeshVerdict.Ok)
            {
                return answer;
            }

            first ??= answer;
        }

        return first!;
    }

    private static string WhyNoEndpoints(PushContext config, MeshService service)
    {
        if (service.ServiceEntry is not null || service.Instances.Count == 0)
        {
            return "";
        }

        var remote = service.Instances.Where(i => !i.Registry.Local).ToList();
        if (remote.Count > 0 && config.Mesh.IsClusterLocal(service.Hostname))
        {
            return $": {service.Hostname} is cluster-local (meshConfig serviceSettings), so the instances in {string.Join(", ", remote.Select(r => r.Registry.ClusterId))} are not used";
        }

        if (remote.Count > 0 && config.McsDiscovery)
        {
            return $": ENABLE_MCS_SERVICE_DISCOVERY keeps services cluster-local without a ServiceExport, and {string.Join(", ", remote.Select(r => r.Registry.ClusterId))} export none";
        }

        return $" (no ready pod of {string.Join(", ", service.Instances.Select(i => $"{i.Service.Key} in {i.Registry.ClusterId}"))})";
    }

    /// <summary>An endpoint given as an address: a gateway (load balancer, external IP or node port), a pod IP, or nothing known.</summary>
    private static MeshAnswer ToAddress(Flow flow, string address, int port, ClientTlsChoice tls, string note)
    {
        var mesh = flow.Request.Mesh;
        if (GatewayAddresses.Locate(mesh, address, port) is { } hit)
        {
            return ThroughGateway(flow, hit, tls, note);
        }

        foreach (var cluster in mesh.Clusters)
        {
            if (cluster.Snapshot().PodsByIp.GetValueOrDefault(address) is { } pod)
            {
                return Direct(flow, flow.Request.Source, cluster, pod, port, tls);
            }
        }

        return flow.Timeout(MeshVerdict.UnknownEndpoint, $"endpoint {address}:{port}{note} is no simulated gateway or pod; the connection times out");
    }

    /// <summary>
    /// A gateway address: reachable unless its networks are partitioned; the Service must expose the port (else refused); ready gateway
    /// pods behind it (else the load balancer times out); a listener on the target port from a Gateway selecting those pods (else
    /// refused); Istio mTLS with an SNI for an AUTO_PASSTHROUGH chain (<see cref="GatewayListeners"/>); a cluster for it with endpoints
    /// in the gateway's network view; then the pod, as the gateway reaches it.
    /// </summary>
    private static MeshAnswer ThroughGateway(Flow flow, GatewayAddresses.Hit hit, ClientTlsChoice tls, string note)
    {
        var request = flow.Request;
        var gatewayCluster = hit.Cluster;
        var where = $"{hit.Address}:{hit.Port}{note}, {gatewayCluster.Name}'s {hit.Service?.Key ?? "node"}";
        if (request.Mesh.Partitioned(request.Source.Network, gatewayCluster.Network))
        {
            return flow.Timeout(MeshVerdict.NetworkPartition, $"networks {Net(request.Source)} and {Net(gatewayCluster)} are partitioned (fault); {where} does not answer");
        }

        if (hit.Service is { } svc && (svc.Name == "istio-ingressgateway" && gatewayCluster.Faults.GatewayDown
                                      || svc.Name == "istio-eastwestgateway" && gatewayCluster.Faults.EastWestGatewayDown))
        {
            return flow.Timeout(MeshVerdict.GatewayDown, $"{where} is down (fault); the connection times out");
        }

        if (hit.Service is null || hit.ServicePort is null)
        {
            return flow.Fail(MeshVerdict.GatewayPortWrong, $"{where} exposes no port {hit.Port} ({hit.Explanation}): connection refused", EnvoyReplies.ConnectionFailure, gatewayCluster);
        }

        var snapshot = gatewayCluster.Snapshot();
        var pods = snapshot.Endpoints(hit.Service).Where(p => p.Ready).ToList();
        if (pods.Count == 0)
        {
            return flow.Timeout(MeshVerdict.GatewayDown, $"{where}: no ready pod behind the load balancer; the connection times out");
        }

        if (pods.FirstOrDefault(p => p.IsGateway) is not { } gateway)
        {
            return flow.Timeout(MeshVerdict.UnknownEndpoint, $"{where} selects pods that are no Istio gateway ({pods[0].Namespace}/{pods[0].Name}); the mesh traffic goes nowhere");
        }

        var targetPort = hit.ServicePort.TargetFor(gateway) ?? hit.Port;
        var gatewayConfig = PushContexts.ForProxy(request.Mesh, gatewayCluster, gateway);
        var listener = gatewayConfig is null ? null : GatewayListeners.For(gatewayConfig, gateway, targetPort, hit.ServicePort.Port);
        if (gatewayConfig is null || listener is null)
        {
            var why = gatewayConfig is null
                ? $"gateway pod {gateway.Name} never got config from istiod"
                : $"no Gateway selecting {gateway.Namespace}/{gateway.Name} ({string.Join(",", gateway.Labels.Where(l => l.Key is "istio" or "app").Select(l => $"{l.Key}={l.Value}"))}) has a server on port {hit.ServicePort.Port}";
            return flow.Fail(MeshVerdict.PassthroughListenerMissing, $"{where}: {why}, so nothing listens on {targetPort}: connection refused", EnvoyReplies.ConnectionFailure, gatewayCluster);
        }

        if (tls.Kind == TlsKind.Plaintext)
        {
            return flow.Fail(MeshVerdict.PlaintextToGateway, $"{tls.Why}; {where} ({listener.Explanation}) finds no filter chain for a connection without SNI and closes it",
                EnvoyReplies.ConnectionTermination, gatewayCluster);
        }

        var chain = GatewayListeners.Match(listener, tls.Sni, tls.Kind == TlsKind.IstioMutual);
        if (chain is null)
        {
            return flow.Fail(MeshVerdict.NoFilterChain, $"{where}: {listener.Explanation}; no filter chain serves SNI {tls.Sni}, the gateway closes the connection",
                EnvoyReplies.ConnectionTermination, gatewayCluster);
        }

        var clusterName = GatewayListeners.ClusterOf(chain, tls.Sni);
        var parsed = SniCluster.Parse(clusterName);
        var target = parsed is null ? null : gatewayConfig.Service(parsed.Value.Host);
        string? missing = clusterName == GatewayListeners.BlackHole ? "the chain sends it to BlackHoleCluster"
            : parsed is null ? $"cluster {clusterName} is not one the gateway has"
            : !listener.SniDnatClusters ? $"the gateway builds no SNI-DNAT clusters ({RouterModeWhy(gatewayConfig, gateway)}), so there is no cluster {clusterName}"
            : target is null || !Visibility.Exported(target.ExportTo, target.Namespace, gateway.Namespace)
                ? $"there is no cluster {clusterName}: {gatewayCluster.Name}'s istiod knows no service {parsed.Value.Host}"
            : !target.HasPort(parsed.Value.Port) ? $"there is no cluster {clusterName}: service {parsed.Value.Host} has no port {parsed.Value.Port}"
            : null;
        if (missing is not null)
        {
            return flow.Fail(MeshVerdict.GatewayClusterMissing, $"{where}: {listener.Explanation}; SNI {tls.Sni}: {missing}; the gateway closes the connection",
                EnvoyReplies.ConnectionTermination, gatewayCluster);
        }

        var (port, subset) = (parsed!.Value.Port, parsed.Value.Subset);
        var endpoints = gatewayConfig.Endpoints(target!, port);
        if (subset.Length > 0 && ClientTls.SubsetLabels(gatewayConfig, gateway.Namespace, target!.Hostname, subset) is { } labels)
        {
            endpoints = [.. endpoints.Where(e => e.Pod is not null && labels.All(l => e.Pod.Labels.GetValueOrDefault(l.Key) == l.Value))];
        }

        var reachable = NetworkFilter.Apply(gatewayConfig, gateway, endpoints, _ => true).Where(e => e.Pod is not null && e.Registry is not null).ToList();
        if (reachable.Count == 0)
        {
            return flow.Fail(MeshVerdict.GatewayNoEndpoints, $"{where}: cluster {clusterName} has no endpoint in the gateway's network view; the gateway closes the connection",
                EnvoyReplies.ConnectionTermination, gatewayCluster);
        }

        MeshAnswer? first = null;
        foreach (var endpoint in reachable)
        {
            var answer = Direct(flow, gatewayCluster, endpoint.Registry!.Cluster, endpoint.Pod!, endpoint.Port, tls, $" via {where} [{listener.Explanation}]");
            if (answer.Verdict == MeshVerdict.Ok)
            {
                return answer;
            }

            first ??= answer;
        }

        return first!;
    }

    private static string RouterModeWhy(PushContext config, PodInfo gateway) =>
        IstioReleases.AutoPassthroughMakesSniClusters(config.Version)
            ? "no Gateway with AUTO_PASSTHROUGH selects it"
            : $"ISTIO_META_ROUTER_MODE is {gateway.ProxyEnv.GetValueOrDefault("ISTIO_META_ROUTER_MODE") ?? "unset (standard)"}, not sni-dnat";

    /// <summary>A pod reached from <paramref name="from"/>'s network: it must be on the same network, still there and ready.</summary>
    private static MeshAnswer Direct(Flow flow, SimulatedCluster from, SimulatedCluster cluster, PodInfo pod, int port, ClientTlsChoice tls, string via = "")
    {
        if (from.Network != cluster.Network)
        {
            return flow.Timeout(MeshVerdict.PodUnreachable,
                $"pod {pod.Namespace}/{pod.Name} ({pod.Ip}) in {cluster.Name} is on network {Net(cluster)}, which {from.Name} (network {Net(from)}) cannot reach directly{via}; the connection times out");
        }

        var live = cluster.Snapshot().PodsByIp.GetValueOrDefault(pod.Ip ?? "");
        if (live is null || live.Uid != pod.Uid || !live.Ready)
        {
            return flow.Timeout(MeshVerdict.PodUnreachable, $"pod {pod.Namespace}/{pod.Name} ({pod.Ip}) in {cluster.Name} is gone or not ready{via}; the connection times out");
        }

        return Inbound(flow, cluster, live, port, tls, via);
    }

    /// <summary>
    /// The server side: with Istio mTLS the pod needs a sidecar, and each proxy must trust the CA of the other's certificate; TLS that is
    /// not Istio's fails at the sidecar; plaintext is accepted (PERMISSIVE). Then the AuthorizationPolicies of the server's config.
    /// </summary>
    private static MeshAnswer Inbound(Flow flow, SimulatedCluster cluster, PodInfo target, int port, ClientTlsChoice tls, string via)
    {
        var request = flow.Request;
        var id = $"{target.Namespace}/{target.Name} in {cluster.Name}{via}";
        string? principal = null;
        if (tls.Kind == TlsKind.IstioMutual)
        {
            if (!target.HasSidecar)
            {
                return flow.Fail(MeshVerdict.TargetWithoutSidecar, $"{id} has no istio-proxy to terminate Istio mTLS ({tls.Why}); the app closes the TLS connection",
                    EnvoyReplies.ConnectionTermination, cluster);
            }

            var clientCert = request.Source.Runtime.Cert(flow.Pod.Uid);
            var serverCert = cluster.Runtime.Cert(target.Uid);
            if (clientCert is null || serverCert is null)
            {
                return flow.Fail(MeshVerdict.TrustMismatch, $"{(clientCert is null ? "the client" : id)} has no workload certificate", EnvoyReplies.CertificateVerifyFailed, cluster);
            }

            var trust = TrustVerifier.Shared.Check($"{flow.Pod.Namespace}/{flow.Pod.Name} in {request.Source.Name}", clientCert.Issuer, id, serverCert.Issuer, request.Now);
            if (!trust.Trusted)
            {
                return flow.Fail(MeshVerdict.TrustMismatch, trust.Explanation, EnvoyReplies.CertificateVerifyFailed, cluster);
            }

            var trustDomain = PushContexts.ForProxy(request.Mesh, request.Source, flow.Pod)?.Mesh.TrustDomain ?? "cluster.local";
            principal = $"{trustDomain}/ns/{flow.Pod.Namespace}/sa/{flow.Pod.ServiceAccount}";
        }
        else if (tls.Kind == TlsKind.OtherTls && target.HasSidecar)
        {
            return flow.Fail(MeshVerdict.TlsModeMismatch, $"{tls.Why}: {id}'s sidecar expects Istio mTLS or plaintext and rejects that handshake",
                EnvoyReplies.ConnectionTermination, cluster);
        }

        var serverConfig = target.HasSidecar ? PushContexts.ForProxy(request.Mesh, cluster, target) : null;
        var facts = new RequestFacts(principal, request.Method, request.PathAndQuery, port, Outbound.StripPort(request.HostHeader));
        if (serverConfig is not null && Authorization.Denies(serverConfig, target, facts) is { } denied)
        {
            return flow.Reply(MeshVerdict.RbacDenied, $"{id}: {denied}", EnvoyReplies.RbacDenied(request.Now, flow.UpstreamMs(cluster)), cluster);
        }

        return flow.Ok(cluster, target, principal, $"{id} ({(principal is null ? "plaintext" : $"mTLS as {principal}")})");
    }

    /// <summary>
    /// Traffic the client sidecar passes through (PassthroughCluster, original destination): to a Service of this cluster via kube-proxy,
    /// to a pod, or nowhere: a TCP passthrough is reset after Envoy's connect timeout, an HTTP one answers 503 connection failure.
    /// </summary>
    private static MeshAnswer Passthrough(Flow flow, ClusterSnapshot snapshot, string why, bool http)
    {
        var request = flow.Request;
        var plain = new ClientTlsChoice(TlsKind.Plaintext, "", "passthrough", null);
        if (snapshot.Services.FirstOrDefault(s => s.ClusterIp == flow.Address) is { } service && service.PortNumbered(request.Port) is { } port)
        {
            var pod = snapshot.Endpoints(service).FirstOrDefault(p => p.Ready);
            if (pod is null)
            {
                var rejected = $"{why}; Service {service.Key} has no ready pods, kube-proxy rejects it";
                return http ? flow.Fail(MeshVerdict.KubeProxyNoEndpoints, rejected, EnvoyReplies.ConnectionFailure, request.Source)
                    : new MeshAnswer(MeshVerdict.KubeProxyNoEndpoints, MeshTransport.Reset, rejected) { Address = flow.Address, Elapsed = TimeSpan.FromMilliseconds(1) };
            }

            return Direct(flow, request.Source, request.Source, pod, port.TargetFor(pod) ?? port.Port, plain);
        }

        foreach (var cluster in request.Mesh.Clusters)
        {
            if (cluster.Snapshot().PodsByIp.GetValueOrDefault(flow.Address) is { } pod)
            {
                return Direct(flow, request.Source, cluster, pod, request.Port, plain);
            }
        }

        return http
            ? flow.Timeout(MeshVerdict.UnknownHostPassthrough, $"{why}, which routes nowhere")
            : flow.Unroutable(MeshVerdict.PassthroughUnroutable, $"{why}, which routes nowhere", sidecar: true);
    }

    /// <summary>A pod without a sidecar: kube-proxy for this cluster's ClusterIPs, pod IPs on its network, nothing else.</summary>
    private static MeshAnswer WithoutSidecar(Flow flow, ClusterSnapshot snapshot)
    {
        var request = flow.Request;
        var plain = new ClientTlsChoice(TlsKind.Plaintext, "", "no client sidecar", null);
        if (snapshot.Services.FirstOrDefault(s => s.ClusterIp == flow.Address) is { } service)
        {
            if (service.PortNumbered(request.Port) is not { } port)
            {
                return flow.Unroutable(MeshVerdict.NoSidecarUnroutable, $"Service {service.Key} has no port {request.Port}; nothing answers on {flow.Address}", sidecar: false);
            }

            var pod = snapshot.Endpoints(service).FirstOrDefault(p => p.Ready);
            return pod is null
                ? new MeshAnswer(MeshVerdict.KubeProxyNoEndpoints, MeshTransport.Refused, $"Service {service.Key} has no ready pods") { Address = flow.Address }
                : Direct(flow, request.Source, request.Source, pod, port.TargetFor(pod) ?? port.Port, plain);
        }

        foreach (var cluster in request.Mesh.Clusters)
        {
            if (cluster.Snapshot().PodsByIp.GetValueOrDefault(flow.Address) is { } pod)
            {
                return Direct(flow, request.Source, cluster, pod, request.Port, plain);
            }
        }

        var entry = snapshot.ServiceEntries.FirstOrDefault(se => se.Strings("spec", "addresses").Select(Dns.HostAddress).Contains(flow.Address));
        return flow.Unroutable(entry is null ? MeshVerdict.UnknownAddress : MeshVerdict.NoSidecarUnroutable, entry is null
            ? $"{flow.Address} is not a known address"
            : $"no sidecar captures traffic to the ServiceEntry address {flow.Address} ({entry.Namespace()}/{entry.Name()}), which routes nowhere", sidecar: false);
    }

    private static string Net(SimulatedCluster cluster) => cluster.Network.Length == 0 ? "(default)" : cluster.Network;
}
