using System.Text.Json.Nodes;
using static MeshPortal.Simulator.Seed.SeedObjects;

namespace MeshPortal.Simulator.Seed;

/// <summary>
/// Seeds a cluster with the seed article's state: namespaces default, kube-system, istio-system, foo and bar
/// (foo/bar labelled for injection: <c>istio-injection=enabled</c>, or <c>istio.io/rev</c> with a revision); cluster DNS (CoreDNS or
/// kube-dns); Istio (see <see cref="IstioSeed"/>); <c>sleep</c> in foo and <c>httpbin</c> in bar, whose pods the Deployment controller
/// creates and the injection webhook gives sidecars; optionally extra services in namespace <c>extra</c>.
/// No <c>cacerts</c> secret is seeded unless the install asks for it: each cluster starts with Istio's self-signed root.
/// </summary>
internal static class ClusterSeeder
{
    public static void Seed(SimulatedCluster cluster)
    {
        var options = cluster.Options;
        var put = (JsonObject o, string manager) => cluster.Operations.Put(o, manager);
        var injected = cluster.Install.Revision is { } rev ? Labels(("istio.io/rev", rev)) : Labels(("istio-injection", "enabled"));
        put(Namespace("default"), "kube-apiserver");
        put(Namespace("kube-system"), "kube-apiserver");
        put(Namespace("kube-public"), "kube-apiserver");
        put(Namespace("istio-system"), "istioctl");
        put(Namespace("foo", injected.DeepClone().AsObject()), "kubectl-create");
        put(Namespace("bar", injected.DeepClone().AsObject()), "kubectl-create");
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "istio-system", "foo", "bar" })
        {
            put(ServiceAccount(ns, "default"), "kube-controller-manager");
        }

        var kubernetes = Service("default", "kubernetes", Labels(("component", "apiserver"), ("provider", "kubernetes")), new JsonObject(),
            "ClusterIP", Port("https", 443, 6443));
        kubernetes["spec"]!["clusterIP"] = ServiceIp(cluster, 1);
        kubernetes["spec"]!.AsObject().Remove("selector");
        put(kubernetes, "kube-apiserver");

        DnsSeed.Seed(cluster, put);
        IstioSeed.Seed(cluster, cluster.Install, put);
        Workloads(put);
        for (var i = options.ExtraServicesFrom; i < options.ExtraServicesFrom + options.ExtraServices; i++)
        {
            if (i == options.ExtraServicesFrom)
            {
                put(Namespace("extra", injected.DeepClone().AsObject()), "kubectl-create");
            }

            var name = $"svc-{i:D4}";
            var labels = Labels(("app", name));
            put(Service("extra", name, labels.DeepClone().AsObject(), labels.DeepClone().AsObject(), "ClusterIP", Port("http", 8000, 8080)), "kubectl-client-side-apply");
            put(Deployment("extra", name, labels, "default", Container("app", "docker.io/kennethreitz/httpbin", ContainerPort(8080))), "kubectl-client-side-apply");
        }
    }

    internal static string ServiceIp(SimulatedCluster cluster, int last) => $"10.{cluster.Index % 256}.0.{last}";

    private static void Workloads(Func<JsonObject, string, JsonObject> put)
    {
        const string manager = "kubectl-client-side-apply";

        put(ServiceAccount("foo", "sleep"), manager);
        var sleepLabels = Labels(("app", "sleep"));
        put(Service("foo", "sleep", sleepLabels.DeepClone().AsObject(), sleepLabels.DeepClone().AsObject(), "ClusterIP", Port("http", 80, 80)), manager);
        var sleepContainer = Container("sleep", "governmentpaas/curl-ssl");
        sleepContainer["command"] = new JsonArray("/bin/sleep", "3650d");
        put(Deployment("foo", "sleep", sleepLabels, "sleep", sleepContainer), manager);

        put(ServiceAccount("bar", "httpbin"), manager);
        var httpbinLabels = Labels(("app", "httpbin"));
        put(Service("bar", "httpbin", httpbinLabels.DeepClone().AsObject(), httpbinLabels.DeepClone().AsObject(), "ClusterIP", Port("http", 8000, 80)), manager);
        put(Deployment("bar", "httpbin", Labels(("app", "httpbin"), ("version", "v1")), "httpbin",
            Container("httpbin", "docker.io/kennethreitz/httpbin", ContainerPort(80))), manager);
    }
}
