using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Kubernetes;
using k8s;
using k8s.Models;

namespace MeshPortal.Core.Features.Clusters;

internal sealed record DnsFacts(string? CoreDnsAddress, bool Proxying, string? Provider);

/// <summary>The Istio stages of the connection check: istiod, the ingress gateway address, DNS for .global.</summary>
internal sealed class IstioStages(IKubernetes client)
{
    public const string IstioNamespace = "istio-system";
    private V1Deployment? istiod;

    public async Task<(StageOutcome, string?)> ControlPlaneAsync(CancellationToken ct)
    {
        istiod = await KubeOperations.GetDeploymentAsync(client, IstioNamespace, "istiod", ct).ConfigureAwait(false);
        if (istiod is null)
            return (StageOutcome.Fail("No deployment istio-system/istiod: Istio's control plane is not installed (or runs under another name).", CheckHints.IstiodMissing), null);

        var container = ClusterFactsReader.DiscoveryContainer(istiod);
        var version = ClusterFactsReader.VersionFromImage(container?.Image);
        var desired = istiod.Status?.Replicas ?? istiod.Spec?.Replicas ?? 1;
        var ready = istiod.Status?.ReadyReplicas ?? 0;
        var readiness = istiod.Status is null ? "" : $", {ready}/{desired} replicas ready";
        if (istiod.Status is not null && desired > 0 && ready == 0)
            return (StageOutcome.Fail($"istiod (image {container?.Image}) has no ready replica.",
                "Look at why istiod is not ready: kubectl -n istio-system describe deployment istiod, and its pods' logs."), version);
        return version is null
            ? (StageOutcome.Pass($"istiod found{readiness}, but its image '{container?.Image}' carries no version tag (digest only?); the Istio version is unknown."), null)
            : (StageOutcome.Pass($"istiod {version} (image {container?.Image}){readiness}."), version);
    }

    public async Task<(StageOutcome, GatewayEndpoint?)> GatewayAsync(string? istioVersion, CancellationToken ct)
    {
        var service = await KubeOperations.GetServiceAsync(client, IstioNamespace, "istio-ingressgateway", ct).ConfigureAwait(false);
        var modern = ClusterFactsReader.IsAtLeast(istioVersion, "1.10");
        if (service is null)
            return modern
                ? (StageOutcome.Pass($"No istio-system/istio-ingressgateway. Istio {istioVersion} needs none for multi-primary (an east-west gateway carries " +
                                     "cross-network traffic); this cluster cannot export over .global.", CheckHints.GatewayMissing), null)
                : (StageOutcome.Fail("No service istio-system/istio-ingressgateway.", CheckHints.GatewayMissing), null);

        var endpoint = ClusterFactsReader.ReadGateway(service);
        if (modern && endpoint.Mode == GatewayAddressMode.None && endpoint.Port is null)
        {
            // The default ingress gateway dropped 15443 in 1.10 (releasenotes/notes/mc-gateway-ports.yaml); that is normal there.
            return (StageOutcome.Pass($"istio-ingressgateway has no port 15443, as Istio {istioVersion}'s default profile installs it: fine for multi-primary " +
                                      "(an east-west gateway carries cross-network traffic); this cluster cannot export over .global."), endpoint);
        }

        switch (endpoint.Mode)
        {
            case GatewayAddressMode.None:
                return (StageOutcome.Fail($"istio-ingressgateway: {endpoint.Problem}",
                    endpoint.Port is null && endpoint.Problem!.Contains("no port", StringComparison.Ordinal) ? CheckHints.GatewayMissing : CheckHints.GatewayNoAddress), endpoint);
            case GatewayAddressMode.LoadBalancerIp:
                return (StageOutcome.Pass($"Load-balancer IP {endpoint.Address}, port {endpoint.Port} (mode: load balancer)."), endpoint);
            case GatewayAddressMode.LoadBalancerHostname:
                return (StageOutcome.Pass($"Load-balancer host name {endpoint.Address}, port {endpoint.Port} (mode: load balancer, DNS name)."), endpoint);
            case GatewayAddressMode.ExternalIp:
                return (StageOutcome.Pass($"External IP {endpoint.Address}, port {endpoint.Port} (mode: spec.externalIPs; no load-balancer address)."), endpoint);
        }

        var selector = service.Spec?.Selector is { Count: > 0 } sel
            ? string.Join(",", sel.Select(kv => $"{kv.Key}={kv.Value}"))
            : "istio=ingressgateway";
        var pods = await KubeOperations.ListPodsAsync(client, IstioNamespace, selector, ct).ConfigureAwait(false);
        var node = ClusterFactsReader.NodeAddressFromPods(pods);
        if (node is null)
            return (StageOutcome.Fail($"istio-ingressgateway has no load-balancer address; its 15443 port maps to nodePort {endpoint.Port}, but no gateway pod reports a node address (status.hostIP).",
                CheckHints.GatewayNoAddress), endpoint);
        var withNode = endpoint with { Address = node };
        return (StageOutcome.Pass($"No load-balancer address: using nodePort {endpoint.Port} (mapped to 15443) on node {node}, the host IP of a gateway pod (mode: nodePort). " +
                                  "Other clusters must be able to reach that node and port."), withNode);
    }

    public async Task<(StageOutcome, DnsFacts)> DnsAsync(string? istioVersion, CancellationToken ct)
    {
        var coreDns = await KubeOperations.GetServiceAsync(client, IstioNamespace, "istiocoredns", ct).ConfigureAwait(false);
        var coreDnsIp = coreDns?.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None" ? ip : null;

        // Sidecars take DNS capture from the mesh config's defaultConfig.proxyMetadata (or a pod's proxy.istio.io/config), never
        // from istiod's own environment (pkg/config/mesh: ProxyConfig reaches the agent through the injection template).
        var mesh = await KubeOperations.GetConfigMapAsync(client, IstioNamespace, "istio", ct).ConfigureAwait(false);
        var capture = ClusterFactsReader.DnsCaptureInMeshConfig(mesh?.Data is { } d && d.TryGetValue("mesh", out var m) ? m : null);
        var proxying = capture && ClusterFactsReader.IsAtLeast(istioVersion, "1.8");
        var provider = await ProviderAsync(ct).ConfigureAwait(false);
        var facts = new DnsFacts(coreDnsIp, proxying, provider);
        var providerText = provider switch
        {
            "coredns" => "cluster DNS: CoreDNS (kube-system/coredns)",
            "kube-dns" => "cluster DNS: kube-dns",
            _ => "cluster DNS provider not found (neither kube-system/coredns nor kube-dns)",
        };

        if (proxying)
            return (StageOutcome.Pass($"Istio DNS proxying is on (ISTIO_META_DNS_CAPTURE, Istio {istioVersion}): no .global stub domain is needed; {providerText}."), facts);
        if (coreDnsIp is not null)
            return (StageOutcome.Pass($"istiocoredns at {coreDnsIp} (the .global stub domain points here); {providerText}."), facts);
        var captureNote = capture
            ? $" ISTIO_META_DNS_CAPTURE is set, but Istio {istioVersion ?? "(version unknown)"} is older than 1.8 or its version is unknown, so it does not proxy DNS."
            : "";
        if (ClusterFactsReader.IsAtLeast(istioVersion, "1.8"))
            return (StageOutcome.Pass($"No .global DNS here: no istio-system/istiocoredns and DNS capture is off in the mesh config " +
                $"(defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE). This cluster cannot consume .global exports; the multi-primary model " +
                $"needs no .global DNS. {providerText}.", CheckHints.DnsMissing), facts);
        return (StageOutcome.Fail($"No istio-system/istiocoredns service and no DNS proxying.{captureNote} {providerText}.", CheckHints.DnsMissing), facts);
    }

    private async Task<string?> ProviderAsync(CancellationToken ct)
    {
        try
        {
            if (await KubeOperations.GetConfigMapAsync(client, "kube-system", "coredns", ct).ConfigureAwait(false) is not null)
                return "coredns";
            if (await KubeOperations.GetConfigMapAsync(client, "kube-system", "kube-dns", ct).ConfigureAwait(false) is not null
                || await KubeOperations.GetDeploymentAsync(client, "kube-system", "kube-dns", ct).ConfigureAwait(false) is not null)
                return "kube-dns";
            return null;
        }
        catch (ClusterCallException ex) when (ex.Kind is ClusterCallErrorKind.Forbidden)
        {
            return null;
        }
    }
}
