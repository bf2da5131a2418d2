using MeshPortal.Simulator;

namespace MeshPortal.Tests.Core;

/// <summary>
/// One simulated mesh for the cluster-access tests: cluster-1 as seeded (Istio 1.6.8, load balancer, istiocoredns, CoreDNS),
/// "nodeport" (no load balancer, kube-dns), "modern" (Istio 1.9 with DNS proxying) and "bare" (Istio parts removed by the tests).
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
                new SimulatedClusterOptions { Name = "modern", IstioVersion = "1.9.0" },
                new SimulatedClusterOptions { Name = "bare" },
            ],
        });
    }

    public async Task DisposeAsync() => await Mesh.DisposeAsync();
}
