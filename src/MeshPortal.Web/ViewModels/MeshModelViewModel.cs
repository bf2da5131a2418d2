using MeshPortal.Core.Features.MeshModel;
using MudBlazor;

namespace MeshPortal.Web.ViewModels;

/// <summary>One row of the "Multi-cluster models" card: a model and role, whether this cluster can play it, and why.</summary>
public sealed record MeshModelRow(string Model, string Role, string Verdict, Color Color, string Icon, string Reason, string? Hint);

/// <summary>The cluster page's "Multi-cluster models" card, from the facts the last check read. Pure.</summary>
public sealed record MeshModelViewModel(IReadOnlyList<MeshModelRow> Rows, IReadOnlyList<(string Label, string Value)> Evidence, bool IsPrimary = false)
{
    public static MeshModelViewModel? From(string? meshFactsJson)
    {
        var facts = MeshFactsJson.Deserialize(meshFactsJson);
        if (facts is null)
        {
            return null;
        }

        var global = GlobalModelRules.Decide(facts);
        var multi = MultiPrimaryRules.Decide(facts);
        // One row when both .global roles fail for the same reason (e.g. the release), two otherwise.
        IReadOnlyList<MeshModelRow> globalRows = global.Export == global.Consume
            ? [Row(".global (Istio 1.6 style)", "export and consume", global.Export)]
            : [Row(".global (Istio 1.6 style)", "export", global.Export), Row(".global (Istio 1.6 style)", "consume", global.Consume)];
        return new MeshModelViewModel(
        [
            .. globalRows,
            Row("multi-primary", "join", multi),
        ],
        [
            ("Istio", facts.IstioVersion ?? "unknown"),
            ("Cluster ID", facts.IstioClusterId ?? "—"),
            ("Mesh ID", facts.MeshId ?? "—"),
            ("Network label", facts.Network ?? "—"),
            ("*.global overlay objects", facts.OverlayGateway || facts.OverlayEnvoyFilter || facts.OverlayDestinationRule
                ? $"Gateway {Has(facts.OverlayGateway)}, EnvoyFilter {Has(facts.OverlayEnvoyFilter)}, DestinationRule {Has(facts.OverlayDestinationRule)}"
                : "none"),
            ("Ingress gateway", $"{(facts.IngressHasPort15443 ? "15443 open" : "no 15443")}, router mode {facts.IngressRouterMode ?? "unset"}"),
            ("East-west gateway", facts.EastWest is { } ew ? $"{ew.ServiceName}{(ew.Address is null ? "" : " at " + ew.Address)}" : "none"),
            ("Legacy auto-passthrough", facts.LegacyAutoPassthrough ? "ON (reopens CVE-2021-31921)" : "off"),
            ("DNS", facts.DnsCapture ? "capture on (mesh config)" : facts.IstioCoreDnsAddress is { } dns ? $"istiocoredns {dns}" : facts.ProbePodDnsCapture ? "capture on the probe pod only" : "no capture, no istiocoredns"),
            ("MCS", facts.McsServiceDiscovery ? (facts.McsHost ? "discovery + clusterset.local" : "discovery") : "off"),
        ], multi.Supported);
    }

    private static string Has(bool value) => value ? "present" : "missing";

    private static MeshModelRow Row(string model, string role, ModelVerdict v) => v switch
    {
        { Supported: true, Insecure: true } => new(model, role, "Yes, insecure", Color.Warning, Icons.Material.Filled.Warning, v.Reason, v.Hint),
        { Supported: true } => new(model, role, "Yes", Color.Success, Icons.Material.Filled.CheckCircle, v.Reason, v.Hint),
        _ => new(model, role, "No", Color.Default, Icons.Material.Filled.Block, v.Reason, v.Hint),
    };
}
