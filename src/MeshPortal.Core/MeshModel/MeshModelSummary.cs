namespace MeshPortal.Core.MeshModel;

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
                ? $"*.global overlay objects: Gateway {YesNo(facts.OverlayGateway)}, EnvoyFilter {YesNo(facts.OverlayEnvoyFilter)}, DestinationRule {YesNo(facts.OverlayDestinationRule)}"
                : "no *.global overlay objects",
            $"ingress router mode {facts.IngressRouterMode ?? "(unset)"}",
            facts.IngressHasPort15443 ? "15443 on istio-ingressgateway" : "no 15443 on istio-ingressgateway",
            facts.EastWest is { } ew ? $"east-west gateway {ew.ServiceName}" + (ew.HasTlsPort15443 ? " with 15443" : " without 15443") : "no east-west gateway",
            $"legacy auto-passthrough {(facts.LegacyAutoPassthrough ? "ON" : "off")}",
            $"DNS capture {(facts.DnsCapture ? "on (mesh config)" : facts.ProbePodDnsCapture ? "on for the probe pod only" : "off")}",
            facts.IstioCoreDnsAddress is { } dns ? $"istiocoredns {dns}" : "no istiocoredns",
            facts.McsServiceDiscovery ? "MCS service discovery on" : "MCS service discovery off",
        };

        var message = $"{string.Join("; ", evidence)}. " +
                      $".global export: {Verdict(global.Export)} .global consume: {Verdict(global.Consume)} multi-primary: {Verdict(multi)}";
        var hint = new[] { global.Export, global.Consume, multi }.FirstOrDefault(v => !v.Supported || v.Insecure)?.Hint;
        return (message, hint);
    }

    private static string YesNo(bool value) => value ? "present" : "missing";

    private static string Verdict(ModelVerdict v) => (v.Supported ? (v.Insecure ? "yes, INSECURE — " : "yes — ") : "no — ") + v.Reason;
}
