using MeshPortal.Simulator;

namespace MeshPortal.Tests.Support;

/// <summary>
/// One simulated mesh for the cluster-access tests: cluster-1 as seeded (Istio 1.6.8, load balancer, istiocoredns, CoreDNS),
/// "nodeport" (no load balancer, kube-dns), "modern" (Istio 1.9 with DNS proxying), "current" (Istio 1.24), "k115" (Kubernetes 1.15) and "bare" (Istio parts removed by the tests).
/// </summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public SimulatedMesh Mesh { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mesh = await SimulatedMesh.StartAsync(new SimulatorOptions
        {
            Clusters = 1,
            AdminEndpoint = false,
            ClusterOverrides =
            [
                new SimulatedClusterOptions { Name = "nodeport", GatewayHasLoadBalancer = false, UseKubeDns = true },
                new SimulatedClusterOptions { Name = "modern", IstioVersion = "1.9.0", DnsCapture = true },
                new SimulatedClusterOptions { Name = "bare" },
                new SimulatedClusterOptions { Name = "current", IstioVersion = "1.24.0", ClusterId = "current", MeshId = "mesh1" },
                new SimulatedClusterOptions { Name = "k115", KubernetesVersion = "v1.15.12" },
            ],
        });
    }

    public async Task DisposeAsync() => await Mesh.DisposeAsync();
}
