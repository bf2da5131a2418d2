using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>An in-memory <see cref="IMeshView"/> for pure unit tests of the mesh rules.</summary>
internal sealed class FakeMesh : IMeshView
{
    private readonly List<FakeCluster> _clusters = [];

    public IReadOnlyList<IMeshClusterView> Clusters => _clusters;

    public FakeCluster this[string name] => _clusters.Single(c => c.Name == name);

    public FakeCluster Add(string name, string istioVersion = "1.6.8")
    {
        var cluster = new FakeCluster(name, istioVersion);
        _clusters.Add(cluster);
        return cluster;
    }

    public IMeshClusterView? Find(string clusterName) => _clusters.FirstOrDefault(c => c.Name == clusterName);
}

internal sealed class FakeCluster(string name, string istioVersion) : IMeshClusterView
{
    private readonly Dictionary<(string Group, string Plural, string Ns, string Name), JsonObject> _objects = [];

    public string Name { get; } = name;

    public string IstioVersion { get; set; } = istioVersion;

    public bool GatewayDown { get; set; }

    public bool DnsBroken { get; set; }

    public bool ExecFails { get; set; }

    public TimeSpan LinkLatency { get; set; }

    public FakeCluster Put(string group, string plural, JsonObject obj)
    {
        _objects[(group, plural, obj.Namespace(), obj.Name())] = obj;
        return this;
    }

    public bool Remove(string group, string plural, string? ns, string name) => _objects.Remove((group, plural, ns ?? "", name));

    /// <summary>The stored object itself (not a copy), for tests that edit it in place.</summary>
    public JsonObject Edit(string group, string plural, string? ns, string name) => _objects[(group, plural, ns ?? "", name)];

    public IReadOnlyList<JsonObject> List(string group, string plural, string? @namespace = null) =>
        _objects.Where(kv => kv.Key.Group == group && kv.Key.Plural == plural && (@namespace is null || kv.Key.Ns == @namespace))
            .Select(kv => (JsonObject)kv.Value.DeepClone())
            .ToList();

    public JsonObject? Get(string group, string plural, string? @namespace, string name) =>
        _objects.TryGetValue((group, plural, @namespace ?? "", name), out var obj) ? (JsonObject)obj.DeepClone() : null;
}
