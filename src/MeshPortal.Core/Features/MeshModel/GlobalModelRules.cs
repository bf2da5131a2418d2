namespace MeshPortal.Core.Features.MeshModel;

/// <summary>Whether a cluster can play one role in a multi-cluster model, and why (in words a platform team can act on).</summary>
/// <param name="Supported">true when the role can carry traffic on this cluster as installed.</param>
/// <param name="Reason">the evidence, with the Istio source for a "cannot".</param>
/// <param name="Hint">what to do about it, for a "cannot" or a risky "can".</param>
/// <param name="Insecure">supported only because an insecure flag is on (MeshPortal never sets it).</param>
public sealed record ModelVerdict(bool Supported, string Reason, string? Hint = null, bool Insecure = false)
{
    public static ModelVerdict Yes(string reason, string? hint = null, bool insecure = false) => new(true, reason, hint, insecure);

    public static ModelVerdict No(string reason, string? hint = null) => new(false, reason, hint);
}

/// <summary>What MeshPortal must write into a cluster for the <c>.global</c> model, beyond the ServiceEntries.</summary>
/// <param name="PassthroughGateway">the <c>*.global</c> AUTO_PASSTHROUGH Gateway and the SNI-rewrite EnvoyFilter (no overlay objects to rely on).</param>
/// <param name="MtlsDestinationRule">the <c>*.global</c> ISTIO_MUTUAL DestinationRule (the overlay's is missing).</param>
/// <param name="DnsStub">the <c>global</c> stub domain towards istiocoredns (no DNS capture).</param>
public sealed record GlobalModelWrites(bool PassthroughGateway, bool MtlsDestinationRule, bool DnsStub)
{
    public static readonly GlobalModelWrites None = new(false, false, false);
}

/// <summary>A cluster's place in the <c>.global</c> model: as the cluster that runs an exported service, and as a consumer.</summary>
public sealed record GlobalModelRoles(ModelVerdict Export, ModelVerdict Consume, GlobalModelWrites Writes);

/// <summary>
/// The <c>.global</c> model (the seed's "replicated control planes", Istio 1.6) decided from what a cluster shows. Pure.
/// It carries traffic only where every piece the receiving gateway and the client sidecar need is really there
/// (../shared/reference/istio-modern-multicluster.md, table (a)):
/// <list type="bullet">
/// <item>1.6 – 1.9.1 with the multicluster-gateways overlay (its <c>*.global</c> Gateway, EnvoyFilter and DestinationRule), the
/// ingress gateway on 15443 in <c>sni-dnat</c> router mode, and DNS for <c>.global</c> (istiocoredns, or DNS capture from 1.8);</item>
/// <item>after the CVE-2021-31921 fix (1.8.6 / 1.9.5 / 1.10.0) only with <c>PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH=true</c>, which
/// reopens the vulnerability: MeshPortal then says so and never sets it itself;</item>
/// <item>never from 1.19 (flag removed) — 1.20 also removed <c>tcp_cluster_rewrite</c> from istio-proxy.</item>
/// </list>
/// </summary>
public static class GlobalModelRules
{
    public const string MultiPrimaryHint =
        "Use the multi-primary model instead (names stay name.namespace.svc.cluster.local; MeshPortal sets it up on Istio 1.8 and later).";

    public static GlobalModelRoles Decide(MeshFacts facts)
    {
        if (Gate(facts) is { } refused)
        {
            return new GlobalModelRoles(refused, refused, GlobalModelWrites.None);
        }

        facts.TryGetRelease(out var release);
        var consume = Consume(facts, release);
        var export = Export(facts, release);
        var writes = new GlobalModelWrites(
            PassthroughGateway: export.Supported && !(facts.OverlayGateway && facts.OverlayEnvoyFilter),
            MtlsDestinationRule: consume.Supported && !facts.OverlayDestinationRule,
            DnsStub: consume.Supported && !(release >= IstioRelease.DnsProxying && facts.DnsCapture) && facts.IstioCoreDnsAddress is not null);
        return new GlobalModelRoles(export, consume, writes);
    }

    /// <summary>Reasons that rule out both roles.</summary>
    private static ModelVerdict? Gate(MeshFacts facts)
    {
        if (!facts.TryGetRelease(out var release))
        {
            return ModelVerdict.No("The Istio version is unknown (istiod's image carries no version tag, or the check has not run).",
                "Run the connection check; MeshPortal reads the version from istiod's image tag.");
        }

        if (release < IstioRelease.Oldest)
        {
            return ModelVerdict.No($"Istio {facts.IstioVersion} is older than 1.6, the oldest release MeshPortal supports.", "Upgrade Istio.");
        }

        if (release >= IstioRelease.LegacyPassthroughRemoved)
        {
            return ModelVerdict.No(
                $"Istio {facts.IstioVersion} cannot carry .global traffic: since the CVE-2021-31921 fix (1.8.6, 1.9.5, 1.10.0) an AUTO_PASSTHROUGH " +
                "gateway only has filter chains for Services under its hosts, the legacy flag was removed in 1.19 and tcp_cluster_rewrite " +
                "left istio-proxy in 1.20 (istio/istio#32848; .global deprecated in 1.8.2).",
                MultiPrimaryHint);
        }

        return null;
    }

    private static ModelVerdict Consume(MeshFacts facts, IstioRelease release)
    {
        var captureWorks = release >= IstioRelease.DnsProxying && facts.DnsCapture;
        if (!captureWorks && facts.IstioCoreDnsAddress is null)
        {
            var capture = release >= IstioRelease.DnsProxying
                ? "DNS capture is off (mesh config defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE is not \"true\"; it is off by default)"
                : $"Istio {facts.IstioVersion} has no DNS proxying (it came in 1.8)";
            var podNote = facts.ProbePodDnsCapture ? " Only the probe pod turns capture on for itself, so applications would not resolve the names." : "";
            return ModelVerdict.No(
                $"Nothing resolves .global names here: no istio-system/istiocoredns (the addon left Istio in 1.9) and {capture}.{podNote}",
                release >= IstioRelease.DnsProxying
                    ? "Turn on DNS capture in the mesh config (meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: \"true\") and restart workloads, or " + MultiPrimaryHint
                    : "Install Istio with the multicluster-gateways overlay, which brings istiocoredns (as the seed article does).");
        }

        var dns = captureWorks ? "DNS capture resolves .global names" : $"istiocoredns at {facts.IstioCoreDnsAddress} answers for .global";
        var mtls = facts.OverlayDestinationRule
            ? "the overlay's *.global DestinationRule makes sidecars use Istio mTLS"
            : "MeshPortal writes the *.global ISTIO_MUTUAL DestinationRule (auto-mTLS does not cover ServiceEntry endpoints)";
        return release.HasPassthroughSecurityFix
            ? ModelVerdict.Yes($"Can consume .global services: {dns}; {mtls}.", "The .global model is deprecated since Istio 1.8.2. " + MultiPrimaryHint)
            : ModelVerdict.Yes($"Can consume .global services: {dns}; {mtls}.");
    }

    private static ModelVerdict Export(MeshFacts facts, IstioRelease release)
    {
        if (!facts.IngressHasPort15443)
        {
            return ModelVerdict.No(
                "istio-ingressgateway has no port 15443, which .global traffic enters through (the default ingress gateway dropped it in 1.10: " +
                "releasenotes/notes/mc-gateway-ports.yaml).",
                release >= new IstioRelease(1, 10, 0) ? MultiPrimaryHint : "Install the multicluster-gateways overlay, which opens 15443 (named tls) on istio-ingressgateway.");
        }

        var insecure = false;
        if (release.HasPassthroughSecurityFix)
        {
            if (!facts.LegacyAutoPassthrough)
            {
                return ModelVerdict.No(
                    $"Istio {facts.IstioVersion} has the CVE-2021-31921 fix: an AUTO_PASSTHROUGH gateway builds one filter chain per Service under " +
                    "its hosts, *.global matches none, and the sni_cluster filter the SNI rewrite hooks onto is gone (istio/istio#32848). " +
                    "Only PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH=true on istiod brings it back, which reopens the vulnerability; MeshPortal never sets it.",
                    MultiPrimaryHint);
            }

            insecure = true;
        }

        if (release < IstioRelease.AutoSniDnat && !string.Equals(facts.IngressRouterMode, "sni-dnat", StringComparison.Ordinal))
        {
            return ModelVerdict.No(
                $"istio-ingressgateway runs in router mode '{facts.IngressRouterMode ?? "standard"}': before Istio 1.11 it has no SNI-DNAT clusters for " +
                "AUTO_PASSTHROUGH unless ISTIO_META_ROUTER_MODE=sni-dnat (the 1.8 default profile sets standard: releasenotes/notes/sni-dnat-default.yaml).",
                "Set ISTIO_META_ROUTER_MODE=sni-dnat on istio-ingressgateway (ingressGateways[].k8s.env), or " + MultiPrimaryHint);
        }

        if (release < IstioRelease.DnsProxying && !(facts.OverlayGateway && facts.OverlayEnvoyFilter))
        {
            return ModelVerdict.No(
                $"Istio {facts.IstioVersion} was not installed with the multicluster-gateways overlay: its *.global Gateway and EnvoyFilter " +
                "(istio-system/istio-multicluster-ingressgateway) are missing.",
                "Install (or re-apply) Istio with values-istio-multicluster-gateways.yaml, as the seed article does.");
        }

        var passthrough = facts.OverlayGateway && facts.OverlayEnvoyFilter
            ? "the overlay's *.global Gateway and SNI-rewrite EnvoyFilter"
            : "MeshPortal's *.global Gateway and SNI-rewrite EnvoyFilter";
        var text = $"Can export over .global: 15443 on istio-ingressgateway, {passthrough}.";
        return insecure
            ? ModelVerdict.Yes(text + " Only because PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH=true is set on istiod, which reopens CVE-2021-31921.",
                "Move this cluster to the multi-primary model and remove PILOT_ENABLE_LEGACY_AUTO_PASSTHROUGH.", insecure: true)
            : ModelVerdict.Yes(text);
    }
}
