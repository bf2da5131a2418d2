using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Simulator;

namespace MeshPortal.Benchmarks;

/// <summary>
/// Seeded clusters get what registration stores: the real connection check's facts (Istio version, gateway, DNS, the mesh
/// model), so the export planners decide per pair as they do in the portal (without mesh facts nothing would be written).
/// </summary>
internal static class BenchFacts
{
    public static async Task ApplyAsync(IClusterConnectionChecker checker, ClusterEntity entity, SimulatedCluster cluster)
    {
        var facts = (await checker.CheckAsync(cluster.KubeconfigYaml, null, CancellationToken.None)).Facts;
        entity.KubernetesVersion = facts.KubernetesVersion ?? entity.KubernetesVersion;
        entity.IstioVersion = facts.IstioVersion ?? entity.IstioVersion;
        entity.IstioCoreDnsAddress = facts.IstioCoreDnsAddress ?? entity.IstioCoreDnsAddress;
        entity.DnsProxying = facts.DnsProxying;
        entity.MeshFactsJson = facts.Mesh is null ? null : MeshFactsJson.Serialize(facts.Mesh);
    }
}
