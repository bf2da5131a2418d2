namespace MeshPortal.Core.Features.MeshModel;

/// <summary>The "mesh model" stage's text: the evidence read, then each model's verdict with its reason. Pure.</summary>
public static class MeshModelSummary
{
    public static (string Message, string? Hint) Describe(MeshFacts facts)
    {
        var global = GlobalModelRules.Decide(facts);
        var multi = MultiPrimaryRules.Decide(facts);
        var evidence = new List<string>
        {
            $"Istio {facts.IstioVersion ?? "(unknown)"}" + (facts.Revision is { } rev && rev != "default" ? $" (revision {rev})" : ""),
            $"cluster ID {facts.IstioClusterId ?? "(none)"}",
            $"mesh ID {facts.MeshId ?? "(none)"}",
            $"network {facts.Network ?? "(none)"}",
            facts.OverlayGateway || facts.OverlayEnvoyFilter || facts.OverlayDestinationRule
                ? $"*.global overlay objects: Gateway {Has(facts.OverlayGateway)}, EnvoyFilter {Has(facts.OverlayEnvoyFilter)}, DestinationRule {Has(facts.OverlayDestinationRule)}"
                : "no *.global overlay objects",
            $"ingress router mode {facts.IngressRouterMode ?? "(unset)"}",
            facts.IngressHasPort15443 ? "15443 on istio-ingressgateway" : "no 15443 on istio-ingressgateway",
            facts.EastWest is { } ew ? $"east-west gateway {ew.ServiceName}" + (ew.HasTlsPort15443 ? " with 15443" : " without 15443") : "no east-west gateway",
            $"legacy auto-passthrough {(facts.LegacyAutoPassthrough ? "ON" : "off")}",
            $"DNS capture {(facts.DnsCapture ? "on (mesh config)" : facts.ProbePodDnsCapture ? "on for the probe pod only" : "off")}",
            facts.IstioCoreDnsAddress is { } dns ? $"istiocoredns {dns}" : "no istiocoredns",
            facts.McsServiceDiscovery ? "MCS service discovery on" : "MCS service discovery off",
        };

        // Short: the verdicts, the evidence, and the first reason that rules a model out (the cluster page has all reasons).
        var why = new[] { global.Export, global.Consume, multi }.Where(v => !v.Supported).Select(v => v.Reason).Distinct().FirstOrDefault();
        var message = $".global export: {YesNo(global.Export)}; .global consume: {YesNo(global.Consume)}; multi-primary: {YesNo(multi)}. " +
                      $"Read: {string.Join("; ", evidence)}." + (why is null ? "" : $" Why not: {why}");
        var hint = new[] { global.Export, global.Consume, multi }.FirstOrDefault(v => !v.Supported || v.Insecure)?.Hint;
        return (message, hint);
    }

    private static string Has(bool value) => value ? "present" : "missing";

    private static string YesNo(ModelVerdict v) => v.Supported ? (v.Insecure ? "yes, INSECURE (legacy auto-passthrough)" : "yes") : "no";
}
