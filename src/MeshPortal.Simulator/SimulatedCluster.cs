using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Controllers;
using MeshPortal.Simulator.Hosting;
using MeshPortal.Simulator.Mesh;
using MeshPortal.Simulator.Runtime;
using MeshPortal.Simulator.Seed;
using MeshPortal.Simulator.Store;

namespace MeshPortal.Simulator;

/// <summary>
/// One simulated Kubernetes cluster: an HTTPS API server on 127.0.0.1 with its own CA and bearer token (and service account
/// tokens), an object store seeded with its Istio install (<see cref="SimulatedClusterOptions"/>), controllers that act on every
/// change (Deployments, tokens, istiod, injection), and switchable <see cref="Faults"/>.
/// The store helpers (<see cref="Get"/>, <see cref="List"/>, <see cref="Put(JsonObject)"/>, <see cref="Delete"/>)
/// bypass HTTP, auth and faults but keep validation, resourceVersions and managed fields.
/// </summary>
public sealed class SimulatedCluster : IMeshClusterView, IDisposable
{
    internal SimulatedCluster(SimulatedClusterOptions options, int index, TimeProvider time)
    {
        Options = options;
        Index = index;
        Token = options.Token ?? "sim-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        Certificates = ClusterCertificates.Create(options.Name);
        Catalog = new ResourceCatalog(options.IstioVersion, options.McsCrdsInstalled);
        Store = new ObjectStore();
        Operations = new ResourceOperations(Store, Catalog, new ObjectDefaults(new AddressPool(index)), time,
            new Validation.Admission.CustomResourceAdmission(options.IstioVersion, options.EffectiveKubernetesVersion));
        Time = time;
        Install = InstallPlan.For(options);
        Controllers = new ClusterControllers(this);
        Store.Observer = Controllers;
        Store.Types = key => Catalog.Types.FirstOrDefault(t => t.StorageKey == key);
        Faults.Changed += () =>
        {
            lock (Store.Gate)
            {
                Controllers.Istiod.FaultChanged();
            }
        };
    }

    public string Name => Options.Name;

    /// <summary>1-based position in the mesh; used for addresses (203.0.113.n, 198.51.100.n, 10.n.x.y).</summary>
    public int Index { get; }

    public SimulatedClusterOptions Options { get; }

    public string IstioVersion => Options.IstioVersion;

    public string KubernetesVersion => Options.EffectiveKubernetesVersion;

    /// <summary>https://127.0.0.1:port of the API server (known once the mesh has started).</summary>
    public Uri Server { get; internal set; } = new("https://127.0.0.1:0");

    public string Token { get; }

    /// <summary>PEM of the CA that issued the API server's certificate.</summary>
    public string CaCertificatePem => Certificates.CaCertificatePem;

    /// <summary>A kubeconfig with one context, named like the cluster.</summary>
    public string KubeconfigYaml => Kubeconfig.Build([this], Name);

    public SimulatedFaults Faults { get; } = new();

    /// <summary>The ingress gateway's load-balancer IP (203.0.113.n), or null when it only has node ports.</summary>
    public string? GatewayLoadBalancerIp => Options.GatewayHasLoadBalancer ? $"203.0.113.{(Index - 1) % 254 + 1}" : null;

    /// <summary>The east-west gateway's load-balancer IP (192.0.2.n) when it is installed with a load balancer.</summary>
    public string? EastWestLoadBalancerIp => Options.GatewayHasLoadBalancer ? $"192.0.2.{(Index - 1) % 254 + 1}" : null;

    /// <summary>The node IP the gateway pod runs on (198.51.100.n): the address to use with its nodePorts.</summary>
    public string NodeIp => $"198.51.100.{(Index - 1) % 254 + 1}";

    /// <summary>The network the cluster's pods are on (<see cref="SimulatedClusterOptions.Network"/>; "" = the shared default).</summary>
    public string Network => Options.Network ?? "";

    /// <summary>Current resourceVersion of the cluster's store.</summary>
    public long ResourceVersion => Store.ResourceVersion;

    internal ClusterCertificates Certificates { get; }

    internal ResourceCatalog Catalog { get; }

    internal ObjectStore Store { get; }

    internal ResourceOperations Operations { get; }

    internal TimeProvider Time { get; }

    /// <summary>What the install rendered (version, revision, CLUSTER_ID, ...).</summary>
    internal InstallPlan Install { get; }

    /// <summary>What the cluster's processes hold beside the objects (istiod's CA, proxies' certificates, tokens).</summary>
    internal ClusterRuntime Runtime { get; } = new();

    internal ClusterControllers Controllers { get; }

    /// <summary>The mesh this cluster belongs to (remote secrets reach the other clusters through it).</summary>
    internal SimulatedMesh? Parent { get; set; }

    /// <summary>The <c>cacerts</c> Secret to create before istiod starts (<see cref="SimulatedClusterOptions.CacertsAtInstall"/>).</summary>
    internal System.Text.Json.Nodes.JsonObject? InstallCacerts { get; set; }

    /// <summary>Captures the config a revision's proxies hold (set by the mesh): kept when their istiod stops serving.</summary>
    internal Func<string, object?>? ConfigSnapshot { get; set; }

    private volatile Mesh.State.ClusterSnapshot? _snapshot;

    /// <summary>The cluster's objects as the mesh rules read them, rebuilt only when the store changed.</summary>
    internal Mesh.State.ClusterSnapshot Snapshot()
    {
        var current = _snapshot;
        if (current is not null && current.ResourceVersion == Store.ResourceVersion)
        {
            return current;
        }

        lock (Store.Gate)
        {
            current = _snapshot;
            if (current is null || current.ResourceVersion != Store.ResourceVersion)
            {
                current = Mesh.State.ClusterSnapshot.Build(this);
                _snapshot = current;
            }

            return current;
        }
    }

    /// <summary>Derived views cached by the mesh rules (istiod's push contexts, gateway listeners), keyed by what they depend on.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, (string Key, object Value)> Derived { get; } = new(StringComparer.Ordinal);

    bool IMeshClusterView.GatewayDown => Faults.GatewayDown;

    bool IMeshClusterView.DnsBroken => Faults.DnsBroken;

    bool IMeshClusterView.ExecFails => Faults.ExecFails;

    TimeSpan IMeshClusterView.LinkLatency => Faults.LinkLatency;

    /// <summary>Objects of one resource (group "" = core), all namespaces when <paramref name="namespace"/> is null. Deep copies.</summary>
    public IReadOnlyList<JsonObject> List(string group, string plural, string? @namespace = null)
    {
        var type = Type(group, plural);
        var list = Operations.List(type, type.Versions[^1], @namespace, new ListOptions());
        var items = list["items"]!.AsArray();
        var result = items.OfType<JsonObject>().ToList();
        items.Clear();
        return result;
    }

    /// <summary>One object (deep copy), or null.</summary>
    public JsonObject? Get(string group, string plural, string? @namespace, string name)
    {
        var type = Type(group, plural);
        lock (Store.Gate)
        {
            var obj = Store.Find(type, type.Namespaced ? @namespace : null, name);
            return obj is null ? null : ResourceOperations.Present(type, type.Versions[^1], obj);
        }
    }

    /// <summary>Creates or replaces an object given with apiVersion, kind and metadata (status is kept). Throws on invalid objects.</summary>
    public JsonObject Put(JsonObject obj) => Wrap(() => Operations.Put(obj, "simulator"));

    /// <summary>Same as <see cref="Put(JsonObject)"/>, from JSON or YAML text.</summary>
    public JsonObject Put(string jsonOrYaml) =>
        Put(YamlJson.Parse(jsonOrYaml) as JsonObject ?? throw new ArgumentException("Expected one object.", nameof(jsonOrYaml)));

    /// <summary>
    /// The stored objects themselves (no copies) for controllers, which run inside the store gate: read them, never change them.
    /// </summary>
    internal List<JsonObject> Stored(string group, string plural, string? @namespace = null) =>
        Catalog.FindByPlural(group, plural) is { } type ? [.. Store.Scan(type, @namespace).Select(kv => kv.Value)] : [];

    /// <summary>Deletes an object (a namespace with its contents); false when it did not exist.</summary>
    public bool Delete(string group, string plural, string? @namespace, string name)
    {
        var type = Type(group, plural);
        return Wrap(() => Operations.Remove(type, type.Namespaced ? @namespace : null, name));
    }

    public void Dispose() => Certificates.Dispose();

    private ResourceType Type(string group, string plural) =>
        Catalog.FindByPlural(group, plural) ?? throw new ArgumentException($"Resource {plural}.{group} is not served by {Name}.");

    private static T Wrap<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException($"{e.Code} {e.Reason}: {e.Message}", e);
        }
    }
}
