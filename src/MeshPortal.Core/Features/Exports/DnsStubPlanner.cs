using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// DNS for <c>.global</c> (Source "dns", <see cref="ApplyMode.Merge"/>): a cluster that consumes at least one export and whose
/// Istio does not proxy DNS gets the <c>global</c> stub domain pointing at istiocoredns — in kube-dns's <c>stubDomains</c>, or as
/// a <c>global:53</c> block merged into the live CoreDNS Corefile (<c>proxy</c> for CoreDNS &lt; 1.4, read from the image tag of
/// the kube-system/coredns deployment). When no longer needed, MeshPortal's entry is removed again; nothing else is touched.
/// </summary>
public sealed class DnsStubPlanner(ExportSnapshot snapshot) : IClusterPlanner
{
    public const string Source = "dns";

    public static readonly ObjectRef CoreDnsConfig = new("", "v1", "configmaps", "ConfigMap", "kube-system", "coredns");
    public static readonly ObjectRef CoreDnsDeployment = new("apps", "v1", "deployments", "Deployment", "kube-system", "coredns");
    public static readonly ObjectRef KubeDnsConfig = new("", "v1", "configmaps", "ConfigMap", "kube-system", "kube-dns");

    /// <summary>
    /// AKS's supported override (https://learn.microsoft.com/azure/aks/coredns-custom): the managed Corefile imports every
    /// <c>*.server</c> key of <c>kube-system/coredns-custom</c> as a server block, and the add-on reverts edits to the Corefile itself.
    /// </summary>
    public static readonly ObjectRef CoreDnsCustom = new("", "v1", "configmaps", "ConfigMap", "kube-system", "coredns-custom");

    public const string CustomServerKey = "meshportal-global.server";

    /// <summary>kube-addon-manager's label: with <c>Reconcile</c> it puts the ConfigMap back as shipped, so edits do not last.</summary>
    public const string AddonManagerLabel = "addonmanager.kubernetes.io/mode";

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => cluster.DnsProvider switch
    {
        "kube-dns" => [KubeDnsConfig],
        "coredns" => [CoreDnsConfig, CoreDnsDeployment, CoreDnsCustom],
        _ => [CoreDnsConfig, CoreDnsDeployment, CoreDnsCustom, KubeDnsConfig],
    };

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        // Only exports this cluster can carry count (GlobalModelRules): a consumer is supported only where DNS capture or
        // istiocoredns resolves .global names, and the stub domain is written only where istiocoredns has to answer.
        var consumes = snapshot.ConsumedBy(cluster.Id).Count > 0;
        var needed = consumes && snapshot.Roles(cluster)?.Writes.DnsStub == true && !string.IsNullOrEmpty(cluster.IstioCoreDnsAddress);
        var notes = new List<string>();
        if (consumes && !needed)
        {
            notes.Add($"{cluster.Name}: Istio's DNS capture resolves .global names, so no .global stub domain is needed.");
        }

        var objects = new List<DesiredObject>();
        var coreDns = live.Get(CoreDnsConfig);
        var kubeDns = live.Get(KubeDnsConfig);
        if (coreDns is not null && cluster.DnsProvider != "kube-dns")
        {
            PlanCoreDns(cluster, coreDns, live.Get(CoreDnsDeployment), live.Get(CoreDnsCustom), needed, objects, notes);
        }
        else if (kubeDns is not null)
        {
            PlanKubeDns(cluster, kubeDns, needed, objects, notes);
        }
        else if (needed)
        {
            notes.Add($"{cluster.Name}: neither kube-system/coredns nor kube-system/kube-dns ConfigMap was found; the .global stub domain was not written.");
        }

        return new PlanContribution(objects, notes);
    }

    private static void PlanCoreDns(ClusterTarget cluster, JsonObject configMap, JsonObject? deployment, JsonObject? custom, bool needed,
        List<DesiredObject> objects, List<string> notes)
    {
        var corefile = (string?)configMap["data"]?["Corefile"] ?? "";
        var version = CoreDnsVersion(deployment);
        var block = needed ? CorefileEditor.Block(cluster.IstioCoreDnsAddress!, CorefileEditor.NeedsProxy(version)) : null;
        if (custom is not null)
        {
            PlanCoreDnsCustom(cluster, custom, corefile, block, objects, notes);
            return;
        }

        if (!needed && !CorefileEditor.HasManagedBlock(corefile))
        {
            return;
        }

        if (configMap["metadata"]?["labels"]?[AddonManagerLabel]?.GetValue<string>() == "Reconcile")
        {
            notes.Add($"{cluster.Name}: kube-system/coredns is managed by the add-on manager ({AddonManagerLabel}: Reconcile), which reverts any edit, " +
                      "so MeshPortal leaves it alone. " + (needed ? $"Add this server block through your platform's DNS customisation:\n{block}" : "Remove MeshPortal's global block the same way."));
            return;
        }

        if (CorefileSyntax.Problem(corefile) is { } problem)
        {
            notes.Add($"{cluster.Name}: the Corefile in kube-system/coredns was left untouched: MeshPortal does not understand it ({problem}) " +
                      (needed ? $"Add this server block by hand:\n{block}" : "Remove MeshPortal's global block by hand."));
            return;
        }

        if (needed && version is null)
        {
            notes.Add($"{cluster.Name}: CoreDNS version unknown (no image tag on kube-system/coredns); assuming ≥ 1.4 and writing 'forward'.");
        }

        var updated = needed ? CorefileEditor.WithGlobalBlock(corefile, cluster.IstioCoreDnsAddress!, CorefileEditor.NeedsProxy(version)) : CorefileEditor.WithoutGlobalBlock(corefile);
        if (CorefileSyntax.Problem(updated) is { } broken)
        {
            notes.Add($"{cluster.Name}: the edited Corefile would not parse ({broken}), so kube-system/coredns was left untouched.");
            return;
        }

        objects.Add(ConfigMap(CoreDnsConfig, "Corefile", updated));
    }

    /// <summary>AKS: the block goes into coredns-custom as its own <c>.server</c> key; a block left in the Corefile by hand-edits is not touched.</summary>
    private static void PlanCoreDnsCustom(ClusterTarget cluster, JsonObject custom, string corefile, string? block, List<DesiredObject> objects, List<string> notes)
    {
        var present = custom["data"]?[CustomServerKey] is not null;
        if (block is null)
        {
            if (present)
            {
                objects.Add(ConfigMap(CoreDnsCustom, CustomServerKey, null));
            }

            return;
        }

        objects.Add(ConfigMap(CoreDnsCustom, CustomServerKey, block));
        notes.Add($"{cluster.Name}: managed CoreDNS (kube-system/coredns-custom, as on AKS): the .global block is the key {CustomServerKey}; " +
                  "CoreDNS reads it after kubectl -n kube-system rollout restart deployment coredns.");
        if (CorefileEditor.HasManagedBlock(corefile))
        {
            notes.Add($"{cluster.Name}: the Corefile still holds a .global block MeshPortal wrote earlier; the add-on reverts it on its own.");
        }
    }

    private static void PlanKubeDns(ClusterTarget cluster, JsonObject configMap, bool needed, List<DesiredObject> objects, List<string> notes)
    {
        var stubDomains = (string?)configMap["data"]?["stubDomains"];
        if (!needed)
        {
            var cleaned = StubDomainsEditor.WithoutGlobal(stubDomains, cluster.IstioCoreDnsAddress);
            if (cleaned != stubDomains)
            {
                objects.Add(ConfigMap(KubeDnsConfig, "stubDomains", cleaned!.Length == 0 ? null : cleaned));
            }

            return;
        }

        var merged = StubDomainsEditor.WithGlobal(stubDomains, cluster.IstioCoreDnsAddress!);
        if (merged is null)
        {
            notes.Add($"{cluster.Name}: kube-system/kube-dns stubDomains is not a JSON object; it was left alone, so .global names do not resolve.");
            return;
        }

        objects.Add(ConfigMap(KubeDnsConfig, "stubDomains", merged));
    }

    /// <summary>The CoreDNS version from the coredns container's image tag, or null.</summary>
    public static string? CoreDnsVersion(JsonObject? deployment)
    {
        var containers = deployment?["spec"]?["template"]?["spec"]?["containers"] as JsonArray;
        var container = containers?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == "coredns") ?? containers?.OfType<JsonObject>().FirstOrDefault();
        var tag = ClusterFactsReader.VersionFromImage((string?)container?["image"]);
        return ClusterFactsReader.TryParseVersion(tag, out _) ? tag : null;
    }

    /// <summary>A Merge body with one data key; a null value leaves the key out (server-side apply then drops MeshPortal's field).</summary>
    private static DesiredObject ConfigMap(ObjectRef reference, string key, string? value)
    {
        var data = new JsonObject();
        if (value is not null)
        {
            data[key] = value;
        }

        var body = IstioApi.Manifest(reference, Source, owned: false);
        body["data"] = data;
        return new DesiredObject(reference, body, Source, ApplyMode.Merge);
    }
}
