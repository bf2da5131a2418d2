namespace MeshPortal.Simulator;

/// <summary>How many simulated clusters to start, and how each one looks.</summary>
public sealed partial class SimulatorOptions
{
    /// <summary>Number of clusters named <c>{NamePrefix}1</c> .. <c>{NamePrefix}N</c> (default 3: cluster-1..cluster-3).</summary>
    public int Clusters { get; set; } = 3;

    public string NamePrefix { get; set; } = "cluster-";

    /// <summary>Template for every generated cluster (its Name is ignored).</summary>
    public SimulatedClusterOptions Defaults { get; set; } = new();

    /// <summary>
    /// Per-cluster settings, matched by <see cref="SimulatedClusterOptions.Name"/>. An entry whose name is not one
    /// of the generated names adds one more cluster.
    /// </summary>
    public List<SimulatedClusterOptions> ClusterOverrides { get; set; } = [];

    /// <summary>Start the admin HTTP endpoint (plain HTTP on 127.0.0.1) that switches faults live.</summary>
    public bool AdminEndpoint { get; set; } = true;

    /// <summary>Admin endpoint port; 0 picks a free one.</summary>
    public int AdminPort { get; set; }

    /// <summary>
    /// The root CA (PEM certificate and its private key, EC or RSA) that signs the <c>cacerts</c> intermediates of clusters installed with
    /// <see cref="SimulatedClusterOptions.CacertsAtInstall"/>; null: the mesh makes its own root. Lets a caller plug in the root it
    /// manages, as an operator does before installing Istio.
    /// </summary>
    public string? InstallRootCertificatePem { get; set; }

    /// <summary>The private key (PEM) of <see cref="InstallRootCertificatePem"/>.</summary>
    public string? InstallRootKeyPem { get; set; }

    /// <summary>The clusters to start, in order, after applying defaults and overrides.</summary>
    public IReadOnlyList<SimulatedClusterOptions> Resolve()
    {
        var result = new List<SimulatedClusterOptions>();
        for (var i = 1; i <= Clusters; i++)
        {
            var name = $"{NamePrefix}{i}";
            result.Add(ClusterOverrides.FirstOrDefault(o => o.Name == name)?.Clone() ?? Defaults.Clone(name));
        }

        result.AddRange(ClusterOverrides.Where(o => result.All(r => r.Name != o.Name)).Select(o => o.Clone()));
        var duplicate = result.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null || result.Any(r => string.IsNullOrWhiteSpace(r.Name)))
        {
            throw new ArgumentException($"Cluster names must be unique and not empty (\"{duplicate?.Key}\").");
        }

        foreach (var cluster in result)
        {
            cluster.Validate();
        }

        return result;
    }
}

/// <summary>One simulated cluster's shape (install settings in SimulatedClusterOptions.Install.cs).</summary>
public sealed partial class SimulatedClusterOptions
{
    public string Name { get; set; } = "";

    /// <summary>Simulated Istio version (default 1.6.8): decides served networking.istio.io versions and seeded objects.</summary>
    public string IstioVersion { get; set; } = "1.6.8";

    /// <summary>Kubernetes version reported by /version; null derives one that fits the Istio version (1.18 for Istio 1.6).</summary>
    public string? KubernetesVersion { get; set; }

    /// <summary>
    /// Whether the MCS CRDs (<c>multicluster.x-k8s.io/v1alpha1</c> ServiceExport, ServiceImport) are installed. They are
    /// not part of Istio; without them those resources answer 404 and are absent from discovery.
    /// </summary>
    public bool McsCrdsInstalled { get; set; }

    /// <summary>true = kube-dns (kube-system/kube-dns ConfigMap and Deployment); false = CoreDNS.</summary>
    public bool UseKubeDns { get; set; }

    /// <summary>false = the ingress gateway has no load-balancer address (reach it through its nodePort and the node IP).</summary>
    public bool GatewayHasLoadBalancer { get; set; } = true;

    /// <summary>Extra services (each with one ready pod) in namespace <c>extra</c>, for scale tests.</summary>
    public int ExtraServices { get; set; }

    /// <summary>
    /// The number of the first extra service (<c>svc-NNNN</c>), so that scale tests can give each cluster services of its own
    /// (cluster k holds svc-(k·n+1) … svc-(k·n+n)) instead of every cluster holding all of them.
    /// </summary>
    public int ExtraServicesFrom { get; set; } = 1;

    /// <summary>Bearer token; null generates a random one.</summary>
    public string? Token { get; set; }

    /// <summary>API server port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>A copy of these settings (maps included), renamed when <paramref name="name"/> is given.</summary>
    public SimulatedClusterOptions Clone(string? name = null)
    {
        var copy = (SimulatedClusterOptions)MemberwiseClone();
        copy.IstiodEnv = new Dictionary<string, string>(IstiodEnv, StringComparer.Ordinal);
        copy.ProxyMetadata = new Dictionary<string, string>(ProxyMetadata, StringComparer.Ordinal);
        if (name is not null)
        {
            copy.Name = name;
        }

        return copy;
    }

    internal string EffectiveKubernetesVersion => KubernetesVersion ?? SimVersion.Parse(IstioVersion) switch
    {
        var v when v < new SimVersion(1, 8) => "1.18.20",
        var v when v < new SimVersion(1, 10) => "1.19.16",
        var v when v < new SimVersion(1, 14) => "1.21.14",
        var v when v < new SimVersion(1, 22) => "1.25.16",
        _ => "1.30.4",
    };
}
