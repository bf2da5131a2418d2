namespace MeshPortal.Core.Features.MeshModel;

/// <summary>One cluster as the multi-primary mesh sees it: its MeshPortal name, what it shows, and the network it was registered on.</summary>
public sealed record MeshMember(string Name, MeshFacts Facts, string? Network);

/// <summary>
/// The multi-primary model (Istio's multicluster install guides from 1.8: every istiod discovers the other clusters' endpoints
/// through remote secrets, names stay <c>name.ns.svc.cluster.local</c>, traffic between networks crosses east-west gateways). Pure.
/// </summary>
public static class MultiPrimaryRules
{
    /// <summary>The Helm default of <c>global.multiCluster.clusterName</c>: two clusters left on it collide.</summary>
    public const string DefaultClusterId = "Kubernetes";

    /// <summary>Whether this cluster's install can take part at all (version and install values), before looking at its peers.</summary>
    public static ModelVerdict Decide(MeshFacts facts)
    {
        if (!facts.TryGetRelease(out var release))
        {
            return ModelVerdict.No("The Istio version is unknown (istiod's image carries no version tag, or the check has not run).",
                "Run the connection check; MeshPortal reads the version from istiod's image tag.");
        }

        if (release < IstioRelease.DnsProxying)
        {
            return ModelVerdict.No(
                $"Istio {facts.IstioVersion} predates the multi-primary model (Istio 1.8's multicluster install guides: remote secrets, " +
                "east-west gateways, names under .svc.cluster.local); it can only run the .global model.",
                "Upgrade Istio to a supported release to use the multi-primary model.");
        }

        if (string.IsNullOrEmpty(facts.IstioClusterId))
        {
            return ModelVerdict.No("istiod has no CLUSTER_ID, so its peers cannot name it in their remote secrets.",
                "Install Istio with values.global.multiCluster.clusterName set to a name unique in the mesh.");
        }

        var notes = new List<string> { $"Istio {facts.IstioVersion}, cluster ID {facts.IstioClusterId}" };
        notes.Add(facts.MeshId is null ? "no mesh ID set" : $"mesh ID {facts.MeshId}");
        if (facts.McsServiceDiscovery)
        {
            notes.Add(facts.McsHost ? "MCS discovery with clusterset.local names" : "MCS discovery (exports are ServiceExports)");
        }

        return ModelVerdict.Yes("Can join a multi-primary mesh: " + string.Join(", ", notes) + ".");
    }

    /// <summary>
    /// What must agree across the clusters of one mesh: distinct Istio cluster IDs (istiod ignores a remote secret carrying its own
    /// ID, or an ID another secret already registered: <c>pkg/kube/multicluster/secretcontroller.go</c>), one mesh ID, and on several
    /// networks an east-west gateway per network. Returns the problems per member name (empty when none).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> MeshProblems(IReadOnlyList<MeshMember> members)
    {
        var problems = members.ToDictionary(m => m.Name, _ => new List<string>(), StringComparer.Ordinal);
        var capable = members.Where(m => Decide(m.Facts).Supported).ToList();
        foreach (var group in capable.GroupBy(m => m.Facts.IstioClusterId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var names = string.Join(", ", group.Select(m => m.Name));
            var hint = group.Key == DefaultClusterId ? " (the chart's default: set values.global.multiCluster.clusterName)" : "";
            foreach (var m in group)
            {
                problems[m.Name].Add($"Istio cluster ID '{group.Key}' is shared by {names}{hint}: istiod ignores a peer with its own ID, so these clusters cannot discover each other.");
            }
        }

        var meshIds = capable.Select(m => m.Facts.MeshId ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (meshIds.Count > 1)
        {
            var text = string.Join(", ", capable.GroupBy(m => m.Facts.MeshId ?? "(none)").Select(g => $"{g.Key}: {string.Join(" ", g.Select(m => m.Name))}"));
            foreach (var m in capable)
            {
                problems[m.Name].Add($"The clusters do not agree on the mesh ID ({text}); every cluster of one mesh needs the same values.global.meshID.");
            }
        }

        var networks = capable.Select(m => NetworkOf(m)).Distinct(StringComparer.Ordinal).ToList();
        if (networks.Count > 1)
        {
            foreach (var m in capable.Where(m => string.IsNullOrEmpty(NetworkOf(m))))
            {
                problems[m.Name].Add($"The mesh spans networks {string.Join(", ", networks.Where(n => n.Length > 0))} but {m.Name} has none: register it with its network so MeshPortal labels istio-system with topology.istio.io/network.");
            }
        }

        return problems.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The network a member is on: what it was registered with, else what its istio-system label says.</summary>
    public static string NetworkOf(MeshMember member) => member.Network ?? member.Facts.Network ?? "";
}
