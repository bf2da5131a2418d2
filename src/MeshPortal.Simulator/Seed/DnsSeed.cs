using System.Text.Json.Nodes;
using static MeshPortal.Simulator.Seed.SeedObjects;

namespace MeshPortal.Simulator.Seed;

/// <summary>
/// Cluster DNS in kube-system: CoreDNS 1.6.7 (ConfigMap <c>coredns</c> with a stock Corefile) or, with
/// <see cref="SimulatedClusterOptions.UseKubeDns"/>, kube-dns (ConfigMap <c>kube-dns</c> without stubDomains).
/// Either way the Service is <c>kube-dns</c> at 10.n.0.10.
/// </summary>
internal static class DnsSeed
{
    public const string Corefile = """
        .:53 {
            errors
            health {
               lameduck 5s
            }
            ready
            kubernetes cluster.local in-addr.arpa ip6.arpa {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
               ttl 30
            }
            prometheus :9153
            forward . /etc/resolv.conf
            cache 30
            loop
            reload
            loadbalance
        }

        """;

    public static void Seed(SimulatedCluster cluster, Func<JsonObject, string, JsonObject> put)
    {
        const string manager = "kubeadm";
        var labels = Labels(("k8s-app", "kube-dns"));
        JsonObject deployment;
        if (cluster.Options.UseKubeDns)
        {
            put(ConfigMap("kube-system", "kube-dns", new JsonObject(), Labels(("addonmanager.kubernetes.io/mode", "EnsureExists"))), manager);
            deployment = Deployment("kube-system", "kube-dns", labels, "kube-dns",
                Container("kubedns", "k8s.gcr.io/k8s-dns-kube-dns:1.15.13", ContainerPort(10053, "dns-local")),
                Container("dnsmasq", "k8s.gcr.io/k8s-dns-dnsmasq-nanny:1.15.13", ContainerPort(53, "dns")),
                Container("sidecar", "k8s.gcr.io/k8s-dns-sidecar:1.15.13", ContainerPort(10054, "metrics")));
            put(ServiceAccount("kube-system", "kube-dns"), manager);
        }
        else
        {
            put(ConfigMap("kube-system", "coredns", new JsonObject { ["Corefile"] = Corefile }), manager);
            deployment = Deployment("kube-system", "coredns", labels, "coredns",
                Container("coredns", "coredns/coredns:1.6.7", ContainerPort(53, "dns"), ContainerPort(9153, "metrics")));
            put(ServiceAccount("kube-system", "coredns"), manager);
        }

        put(deployment, manager);
        var service = Service("kube-system", "kube-dns", Labels(("k8s-app", "kube-dns"), ("kubernetes.io/name", "KubeDNS")), labels.DeepClone().AsObject(),
            "ClusterIP", Port("dns", 53, 53, "UDP"), Port("dns-tcp", 53, 53), Port("metrics", 9153, 9153));
        service["spec"]!["clusterIP"] = ClusterSeeder.ServiceIp(cluster, 10);
        put(service, manager);
    }
}
