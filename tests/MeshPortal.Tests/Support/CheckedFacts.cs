using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Simulator;

namespace MeshPortal.Tests.Support;

/// <summary>
/// For tests that seed clusters straight into the database: runs the real connection check against the simulated cluster
/// and copies what it learned onto the entity, as registration would (so planners see what the cluster really shows).
/// </summary>
internal static class CheckedFacts
{
    public static async Task ApplyAsync(ClusterEntity entity, SimulatedCluster cluster)
    {
        using var harness = new CheckerHarness(stageTimeoutSeconds: 10, requestTimeoutSeconds: 10);
        var report = await harness.Checker.CheckAsync(cluster.KubeconfigYaml, null, CancellationToken.None);
        var facts = report.Facts;
        entity.KubernetesVersion = facts.KubernetesVersion;
        entity.IstioVersion = facts.IstioVersion ?? entity.IstioVersion;
        entity.GatewayAddress = facts.GatewayAddress ?? entity.GatewayAddress;
        entity.GatewayPort = facts.GatewayPort ?? entity.GatewayPort;
        entity.IstioCoreDnsAddress = facts.IstioCoreDnsAddress;
        entity.DnsProxying = facts.DnsProxying;
        entity.DnsProvider = facts.DnsProvider;
        entity.MeshFactsJson = facts.Mesh is null ? null : MeshFactsJson.Serialize(facts.Mesh);
    }
}
