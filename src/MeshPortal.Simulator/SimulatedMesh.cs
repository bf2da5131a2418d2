using MeshPortal.Simulator.Hosting;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Seed;

namespace MeshPortal.Simulator;

/// <summary>
/// A set of simulated Kubernetes clusters, each an HTTPS API server on 127.0.0.1 (one Kestrel host, one listener per cluster),
/// each with its own Istio and Kubernetes version and install (<see cref="SimulatedClusterOptions"/>; by default the seed article's
/// Istio 1.6.8 with the multicluster-gateways overlay). What a pod's curl answers follows Mesh/MESH-RULES.md.
/// <para>
/// Admin endpoint (<see cref="AdminEndpoint"/>, plain HTTP on 127.0.0.1, no auth, JSON):
/// <c>GET /clusters</c> (name, server, versions, gateway address, faults);
/// <c>GET /clusters/{name}</c>; <c>GET /clusters/{name}/kubeconfig</c>; <c>GET /kubeconfig</c> (all contexts);
/// <c>GET /clusters/{name}/faults</c>;
/// <c>POST /clusters/{name}/faults</c> with any of
/// <c>{"apiDown":bool,"apiLatencyMs":n,"apiErrorStatus":500|503|null,"tooManyRequests":bool,"execFails":bool,"gatewayDown":bool,
/// "eastWestGatewayDown":bool,"istiodDown":bool,"readerTokensRevoked":bool,"dnsBroken":bool,"linkLatencyMs":n}</c>
/// (absent members unchanged; answers the new faults); <c>DELETE /clusters/{name}/faults</c> and <c>DELETE /faults</c> clear faults
/// (the latter also partitions); <c>GET /partitions</c>, <c>POST /partitions {"a":"network1","b":"network2"}</c>, <c>DELETE /partitions</c>.
/// </para>
/// <para>
/// "API down" resets new TCP connections before the TLS handshake and aborts requests arriving on connections
/// that were already open; the port stays bound, so the client sees a reset rather than "connection refused".
/// </para>
/// </summary>
public sealed partial class SimulatedMesh : IAsyncDisposable, IMeshView
{
    private readonly List<SimulatedCluster> _clusters;
    private SimulatorServer? _server;

    private SimulatedMesh(List<SimulatedCluster> clusters) => _clusters = clusters;

    /// <summary>The clusters, in order (cluster-1, cluster-2, ...).</summary>
    public IReadOnlyList<SimulatedCluster> Clusters => _clusters;

    IReadOnlyList<IMeshClusterView> IMeshView.Clusters => _clusters;

    public SimulatedCluster this[string name] =>
        _clusters.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No simulated cluster named \"{name}\".");

    /// <summary>A kubeconfig with one context per cluster, each named like the cluster; the first is current.</summary>
    public string KubeconfigYaml => Kubeconfig.Build(_clusters, _clusters.FirstOrDefault()?.Name);

    /// <summary>Base address of the admin endpoint (routes in the class documentation).</summary>
    public Uri AdminEndpoint { get; private set; } = new("http://127.0.0.1:0/");

    public static async Task<SimulatedMesh> StartAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        var mesh = await CreateAsync(options, ct);
        try
        {
            var admin = new AdminApi(mesh);
            mesh._server = await SimulatorServer.StartAsync(mesh._clusters, options.AdminPort, mesh.ExecFor, admin, ct);
            mesh.AdminEndpoint = new Uri($"http://127.0.0.1:{mesh._server.AdminPort}/");
            return mesh;
        }
        catch
        {
            await mesh.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The seeded clusters without their API servers (for in-process tests of the mesh rules): every cluster's server is
    /// <c>https://&lt;name&gt;.simulated.invalid:6443</c> until <see cref="StartAsync"/> gives it a port.
    /// </summary>
    internal static async Task<SimulatedMesh> CreateAsync(SimulatorOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resolved = options.Resolve();
        using var installCa = !resolved.Any(o => o.CacertsAtInstall) ? null
            : options.InstallRootCertificatePem is { } rootPem ? new InstallCa(rootPem, options.InstallRootKeyPem ?? throw new ArgumentException("InstallRootKeyPem is required with InstallRootCertificatePem."))
            : new InstallCa();
        var clusters = new SimulatedCluster[resolved.Count];
        await Parallel.ForAsync(0, resolved.Count, ct, (i, _) =>
        {
            var cluster = new SimulatedCluster(resolved[i], i + 1, TimeProvider.System)
            {
                Server = new Uri($"https://{resolved[i].Name}.simulated.invalid:6443"),
                InstallCacerts = resolved[i].CacertsAtInstall ? installCa!.CacertsFor(resolved[i].Name) : null,
            };
            clusters[i] = cluster;
            return ValueTask.CompletedTask;
        });

        var mesh = new SimulatedMesh([.. clusters]);
        foreach (var cluster in clusters)
        {
            cluster.Parent = mesh;
            cluster.ConfigSnapshot = revision => Mesh.Discovery.PushContexts.Live(mesh, cluster, revision);
        }

        await Parallel.ForAsync(0, clusters.Length, ct, (i, _) =>
        {
            ClusterSeeder.Seed(clusters[i]);
            return ValueTask.CompletedTask;
        });

        return mesh;
    }

    public IMeshClusterView? Find(string clusterName) => _clusters.FirstOrDefault(c => c.Name == clusterName);

    internal SimulatedCluster? Cluster(string clusterName) => _clusters.FirstOrDefault(c => c.Name == clusterName);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), byte> _partitions = new();

    /// <summary>Network partitions between named networks (<see cref="SimulatedClusterOptions.Network"/>), each pair once, sorted.</summary>
    public IReadOnlyList<(string A, string B)> Partitions => [.. _partitions.Keys.Order()];

    /// <summary>Fault: nothing gets through between the two networks (pod IPs, gateways, load balancers), both ways, until healed.</summary>
    public void Partition(string networkA, string networkB)
    {
        if (string.IsNullOrWhiteSpace(networkA) || string.IsNullOrWhiteSpace(networkB) || networkA == networkB)
        {
            throw new ArgumentException("A partition needs two different network names.");
        }

        _partitions[Pair(networkA, networkB)] = 0;
    }

    public bool Heal(string networkA, string networkB) => _partitions.TryRemove(Pair(networkA, networkB), out _);

    public void HealAll() => _partitions.Clear();

    internal bool Partitioned(string a, string b) => a != b && !_partitions.IsEmpty && _partitions.ContainsKey(Pair(a, b));

    private static (string, string) Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    /// <summary>
    /// Why the kubeconfig at <paramref name="path"/> must not be overwritten: another running simulator process wrote it, or (with
    /// <paramref name="requireSimulatorFile"/>) the simulator did not write it at all; null when it may be (or does not exist).
    /// </summary>
    public static string? KubeconfigRefusal(string path, bool requireSimulatorFile)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return null;
        }

        if (KubeconfigFile.LiveOtherWriter(full) is { } pid)
        {
            return $"{full} was written by another simulator (process {pid}), which is still running.";
        }

        return requireSimulatorFile && !KubeconfigFile.WrittenBySimulator(full)
            ? $"{full} exists and was not written by the simulator."
            : null;
    }

    /// <summary>
    /// Writes <see cref="KubeconfigYaml"/> (creating the directory; owner-only permissions on Unix), marked as written by this process.
    /// Refuses (<see cref="IOException"/>) to overwrite a kubeconfig that another simulator process wrote and that is still running.
    /// </summary>
    public async Task WriteKubeconfigAsync(string path, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(path);
        if (KubeconfigFile.LiveOtherWriter(full) is { } pid)
        {
            throw new IOException($"{full} belongs to another running simulator (process {pid}); it is not overwritten.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(full, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(KubeconfigFile.Marker().AsMemory(), ct);
        await writer.WriteAsync(KubeconfigYaml.AsMemory(), ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        foreach (var c in _clusters)
        {
            c.Dispose();
        }
    }
}
