using k8s;

namespace MeshPortal.Simulator.Tests.Support;

/// <summary>One running mesh shared by the tests of a class, with its kubeconfig in a temp file.</summary>
public class MeshFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meshsim-").FullName;

    public SimulatedMesh Mesh { get; private set; } = null!;

    public string KubeconfigPath => Path.Combine(_dir, "kubeconfig");

    public string TempDirectory => _dir;

    protected virtual SimulatorOptions Options() => new()
    {
        Clusters = 2,
        ClusterOverrides = [new SimulatedClusterOptions { Name = "cluster-2", IstioVersion = "1.22.3" }],
    };

    public Kubernetes Client(string context = "cluster-1") =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath, context));

    public async Task InitializeAsync()
    {
        Mesh = await SimulatedMesh.StartAsync(Options());
        await Mesh.WriteKubeconfigAsync(KubeconfigPath);
    }

    public async Task DisposeAsync()
    {
        await Mesh.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
