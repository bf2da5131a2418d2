using System.Text.Json.Nodes;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Tests.Mesh;

/// <summary>
/// In-process simulated meshes (no API servers) for the mesh rules. <see cref="Build"/> is the seed's working setup: two clusters of
/// the given version (with the multicluster-gateways overlay and router mode sni-dnat where the overlay exists) installed with
/// <c>cacerts</c> from one root before istiod started, cluster-1 on kube-dns with the
/// <c>global</c> stub to istiocoredns, <c>sleep</c> in foo and <c>httpbin</c> in bar on 8000, and in cluster-1 the <c>httpbin-bar</c>
/// ServiceEntry for <c>httpbin.bar.global</c> (240.0.0.2) whose endpoint is cluster-2's ingress gateway on 15443.
/// </summary>
internal static class SeedWorld
{
    public static World Build(string istio = "1.6.8", bool sharedRoot = true)
    {
        // The overlay exists before 1.9.2; its ingress gateway needs router mode sni-dnat, the 1.6 profile's default (1.8 made it standard).
        var overlay = SimVersion.Parse(istio) < new SimVersion(1, 9, 2);
        SimulatedClusterOptions Cluster(string name) => new()
        {
            Name = name, IstioVersion = istio, CacertsAtInstall = sharedRoot, UseKubeDns = true,
            Profile = overlay ? "multicluster-gateways" : null, IngressRouterMode = overlay ? "sni-dnat" : null,
        };
        var world = Create(new SimulatorOptions { Clusters = 0, ClusterOverrides = [Cluster("cluster-1"), Cluster("cluster-2")] });
        var c1 = world["cluster-1"];
        if (c1.Get("", "services", "istio-system", "istiocoredns")?["spec"]?["clusterIP"]?.ToString() is { } coreDns)
        {
            world.Update("cluster-1", "", "configmaps", "kube-system", "kube-dns", cm => cm["data"] = new JsonObject { ["stubDomains"] = $"{{\"global\": [\"{coreDns}\"]}}\n" });
        }

        c1.Put(Obj("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"ServiceEntry","metadata":{"name":"httpbin-bar","namespace":"foo"},
             "spec":{"hosts":["httpbin.bar.global"],"location":"MESH_INTERNAL","ports":[{"name":"http1","number":8000,"protocol":"http"}],
               "resolution":"DNS","addresses":["240.0.0.2"],"endpoints":[{"address":"203.0.113.2","ports":{"http1":15443}}]}}
            """));
        return world;
    }

    public static World Create(SimulatorOptions options) => new(SimulatedMesh.CreateAsync(options).GetAwaiter().GetResult());

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}

/// <summary>A mesh under test, with helpers to change objects in place and to send requests from a pod.</summary>
internal sealed class World(SimulatedMesh mesh)
{
    public SimulatedMesh Mesh => mesh;

    public SimulatedCluster this[string name] => mesh[name];

    /// <summary>The first pod labelled app=<paramref name="app"/> in the namespace.</summary>
    public JsonObject Pod(string cluster, string ns = "foo", string app = "sleep") =>
        mesh[cluster].List("", "pods", ns).First(p => (string?)p["metadata"]!["labels"]?["app"] == app);

    public string PodName(string cluster, string ns = "foo", string app = "sleep") => (string)Pod(cluster, ns, app)["metadata"]!["name"]!;

    /// <summary>Reads an object, lets <paramref name="change"/> edit it, and writes it back.</summary>
    public void Update(string cluster, string group, string plural, string? ns, string name, Action<JsonObject> change)
    {
        var obj = mesh[cluster].Get(group, plural, ns, name) ?? throw new InvalidOperationException($"no {plural} {ns}/{name} in {cluster}");
        change(obj);
        obj["metadata"]!.AsObject().Remove("resourceVersion");
        mesh[cluster].Put(obj);
    }

    /// <summary><c>kubectl rollout restart deployment/name</c>: a new pod template annotation, so new pods.</summary>
    public void RolloutRestart(string cluster, string ns, string deployment) =>
        Update(cluster, "apps", "deployments", ns, deployment, d =>
        {
            var template = d["spec"]!["template"]!["metadata"]!.AsObject();
            template["annotations"] ??= new JsonObject();
            template["annotations"]!["kubectl.kubernetes.io/restartedAt"] = DateTimeOffset.UtcNow.AddTicks(Random.Shared.Next()).ToString("O");
        });

    public MeshAnswer Send(string host, int port, string path = "/headers", string cluster = "cluster-1", string ns = "foo", string app = "sleep",
        IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        MeshRouter.Send(new MeshRequest(mesh, mesh[cluster], Pod(cluster, ns, app), "GET", host, port, path, DateTimeOffset.UtcNow) { ExtraHeaders = headers ?? [] });
}
