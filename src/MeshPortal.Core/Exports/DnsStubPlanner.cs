using System.Text.Json.Nodes;
using MeshPortal.Core.Clusters;
using MeshPortal.Core.Reconciliation;

namespace MeshPortal.Core.Exports;

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

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => cluster.DnsProvider switch
    {
        "kube-dns" => [KubeDnsConfig],
        "coredns" => [CoreDnsConfig, CoreDnsDeployment],
        _ => [CoreDnsConfig, CoreDnsDeployment, KubeDnsConfig],
    };

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        var consumes = snapshot.ConsumedBy(cluster.Id).Count > 0;
        var needed = consumes && !cluster.DnsProxying;
        var notes = new List<string>();
        if (consumes && cluster.DnsProxying)
        {
            notes.Add($"{cluster.Name}: Istio proxies DNS, so no .global stub domain is needed.");
        }

        if (needed && string.IsNullOrEmpty(cluster.IstioCoreDnsAddress))
        {
            notes.Add($"{cluster.Name}: no istiocoredns address and no DNS proxying is known, so .global names cannot resolve there. Run the cluster's connection check, or enable ISTIO_META_DNS_CAPTURE.");
            needed = false;
        }

        var objects = new List<DesiredObject>();
        var coreDns = live.Get(CoreDnsConfig);
        var kubeDns = live.Get(KubeDnsConfig);
        if (coreDns is not null && cluster.DnsProvider != "kube-dns")
        {
            PlanCoreDns(cluster, coreDns, live.Get(CoreDnsDeployment), needed, objects, notes);
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

    private static void PlanCoreDns(ClusterTarget cluster, JsonObject configMap, JsonObject? deployment, bool needed, List<DesiredObject> objects, List<string> notes)
    {
        var corefile = (string?)configMap["data"]?["Corefile"] ?? "";
        if (!needed)
        {
            if (CorefileEditor.HasManagedBlock(corefile))
            {
                objects.Add(ConfigMap(CoreDnsConfig, "Corefile", CorefileEditor.WithoutGlobalBlock(corefile)));
            }

            return;
        }

        var version = CoreDnsVersion(deployment);
        if (version is null)
        {
            notes.Add($"{cluster.Name}: CoreDNS version unknown (no image tag on kube-system/coredns); assuming ≥ 1.4 and writing 'forward'.");
        }

        var updated = CorefileEditor.WithGlobalBlock(corefile, cluster.IstioCoreDnsAddress!, CorefileEditor.NeedsProxy(version));
        objects.Add(ConfigMap(CoreDnsConfig, "Corefile", updated));
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
