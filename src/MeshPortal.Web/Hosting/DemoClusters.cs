using MeshPortal.Core.Features.Clusters;
using MeshPortal.Simulator;

namespace MeshPortal.Web.Hosting;

/// <summary>
/// Demo mode: starts simulated clusters on 127.0.0.1, writes their kubeconfig into the data directory, and registers
/// them through the same path a user takes (simulated clusters get new ports and credentials on every start, so an
/// already registered one is updated with the new kubeconfig).
/// </summary>
internal sealed class DemoClusters(IServiceScopeFactory scopes, ILogger<DemoClusters> logger) : IAsyncDisposable
{
    private SimulatedMesh? mesh;

    public SimulatedMesh? Mesh => mesh;

    public async Task StartAsync(int clusters, string profile, string dataDirectory, CancellationToken stopping)
    {
        IReadOnlyList<(SimulatedClusterOptions Cluster, string? Network)> shape;
        // The seed's order: the shared root exists before Istio is installed, and every cluster is installed with cacerts from it.
        await using (var rootScope = scopes.CreateAsyncScope())
        {
            var root = await MeshPortal.Core.Features.Trust.TrustDemo.EnsureRootForInstallAsync(rootScope.ServiceProvider, stopping);
            shape = DemoMesh.Clusters(profile, clusters, cacertsAtInstall: root is not null);
            mesh = await SimulatedMesh.StartAsync(new SimulatorOptions
            {
                Clusters = 0,
                ClusterOverrides = [.. shape.Select(c => c.Cluster)],
                InstallRootCertificatePem = root?.CertificatePem,
                InstallRootKeyPem = root?.KeyPem,
            }, stopping);
        }

        var kubeconfigPath = Path.Combine(dataDirectory, "simulator", "kubeconfig");
        Directory.CreateDirectory(Path.GetDirectoryName(kubeconfigPath)!);
        await mesh.WriteKubeconfigAsync(kubeconfigPath, stopping);

        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ClusterService>();
        var registered = (await scope.ServiceProvider.GetRequiredService<ClusterQueries>().ListAsync(stopping)).Select(c => c.Name).ToHashSet();
        foreach (var cluster in mesh.Clusters)
        {
            var network = shape.First(s => s.Cluster.Name == cluster.Name).Network;
            var result = registered.Contains(cluster.Name)
                ? await service.UpdateAsync(cluster.Name, new ClusterUpdate(cluster.KubeconfigYaml, cluster.Name, network, null), new MeshPortal.Core.Platform.Audit.AuditContext("demo"), null, stopping)
                : await service.RegisterAsync(new ClusterDraft(cluster.Name, cluster.KubeconfigYaml, cluster.Name, network, null), new MeshPortal.Core.Platform.Audit.AuditContext("demo"), null, stopping);
            if (!result.Succeeded)
            {
                logger.LogError("Demo cluster {Name} could not be registered: {Errors}", cluster.Name, string.Join(" ", result.Errors.SelectMany(e => e.Value)));
            }
        }

        if (mesh.Clusters.All(c => c.Options.CacertsAtInstall))
        {
            await MeshPortal.Core.Features.Trust.TrustDemo.TakeOverAsync(scope.ServiceProvider, mesh.Clusters.Select(c => c.Name), stopping); // demo: trust
        }
        await MeshPortal.Core.Features.Exports.ExportDemo.EnsureSeedExportAsync(scope.ServiceProvider, stopping); // demo: exports
        Console.WriteLine(profile == MeshPortal.Core.Platform.Configuration.DemoProfiles.Seed
            ? "Demo profile \"seed\": Istio 1.6.8, the .global model of the seed article."
            : $"Demo profile \"modern\": Istio {DemoMesh.ModernIstio} multi-primary, cluster-1 on net1, the others on net2 (MeshPortal__Demo__Profile=seed for the seed's 1.6.8 mesh).");
        Console.WriteLine($"Demo: {mesh.Clusters.Count} simulated clusters are running. kubectl --kubeconfig {kubeconfigPath} get pods -A --context cluster-1");
        Console.WriteLine($"Demo: simulator admin endpoint (faults on demand): {mesh.AdminEndpoint}");
    }

    public async ValueTask DisposeAsync()
    {
        if (mesh is not null)
        {
            await mesh.DisposeAsync();
        }
    }
}
