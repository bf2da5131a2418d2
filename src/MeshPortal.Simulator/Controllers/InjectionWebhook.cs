using System.Globalization;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Controllers;

/// <summary>
/// Istio's sidecar injection webhook (<c>pkg/kube/inject</c>), on pod creation:
/// <list type="bullet">
/// <item>Which pods: namespace <c>istio-injection=enabled</c> (the default revision), namespace <c>istio.io/rev=&lt;rev&gt;</c>, or pod label
/// <c>sidecar.istio.io/inject: "true"</c>; not with the label <c>sidecar.istio.io/inject: "false"</c> or namespace
/// <c>istio-injection=disabled</c> (then the webhook is not called); the annotation <c>sidecar.istio.io/inject: "false"</c>, or an
/// <c>istio-proxy</c> already there, makes istiod inject nothing. Only a revision that is installed (an istiod Deployment labelled
/// with it) has a webhook.</item>
/// <item>The webhook's <c>failurePolicy</c> is Fail: with no serving istiod of that revision every pod the webhook is called for is
/// refused with the API server's "failed calling webhook" error.</item>
/// <item>What it adds: the <c>istio-proxy</c> container (proxyv2 of the installed tag, <c>proxy sidecar</c>; <c>proxy router</c> for the
/// <c>gateway</c> template) whose env carries <c>ISTIO_META_CLUSTER_ID</c>, <c>ISTIO_META_NETWORK</c> (values.global.network) and the
/// mesh config's <c>defaultConfig.proxyMetadata</c> merged with the pod's <c>proxy.istio.io/config</c> annotation, read now: a later mesh
/// config change reaches a pod only when it is recreated; the labels <c>security.istio.io/tlsMode: istio</c>,
/// <c>service.istio.io/canonical-name|revision</c>, <c>istio.io/rev</c> and <c>topology.istio.io/network</c>; the
/// <c>sidecar.istio.io/status</c> annotation.</item>
/// </list>
/// </summary>
internal sealed class InjectionWebhook(SimulatedCluster cluster)
{
    public const string StatusAnnotation = "sidecar.istio.io/status";
    private const string Status = "{\"initContainers\":[\"istio-init\"],\"containers\":[\"istio-proxy\"],\"volumes\":[\"workload-socket\",\"istio-envoy\",\"istio-data\",\"istio-podinfo\",\"istio-token\",\"istiod-ca-cert\"],\"imagePullSecrets\":null,\"revision\":\"REV\"}";

    public void Admit(JsonObject? old, JsonObject pod)
    {
        if (old is not null || pod["spec"] is not JsonObject spec)
        {
            return;
        }

        var revision = WebhookRevision(pod);
        if (revision is null || !Installed(revision))
        {
            return;
        }

        if (cluster.Runtime.Istiod(revision) is null)
        {
            var name = revision == "default" ? "namespace.sidecar-injector.istio.io" : "rev.namespace.sidecar-injector.istio.io";
            var istiod = revision == "default" ? "istiod" : $"istiod-{revision}";
            var ip = cluster.Store.Find(cluster.Catalog.FindByPlural("", "services")!, "istio-system", istiod).Str("spec", "clusterIP") ?? "10.96.0.1";
            throw new ApiException(500, "InternalError",
                $"Internal error occurred: failed calling webhook \"{name}\": failed to call webhook: Post \"https://{istiod}.istio-system.svc:443/inject?timeout=10s\": dial tcp {ip}:443: connect: connection refused");
        }

        var containers = spec["containers"] as JsonArray;
        var proxy = containers?.OfType<JsonObject>().FirstOrDefault(c => c.Str("name") == PodFacts.SidecarName);
        var gatewayTemplate = pod.Str("metadata", "annotations", "inject.istio.io/templates") == "gateway";
        if (pod.Str("metadata", "annotations", "sidecar.istio.io/inject") == "false"
            || (proxy is not null && !(gatewayTemplate && proxy.Str("image") == "auto")))
        {
            return;
        }

        var install = cluster.Install;
        var sidecar = proxy ?? new JsonObject { ["name"] = PodFacts.SidecarName };
        sidecar["image"] = $"docker.io/istio/proxyv2:{install.Tag}";
        sidecar["args"] = new JsonArray("proxy", gatewayTemplate ? "router" : "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local",
            "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info");
        if (proxy?["ports"] is not JsonArray)
        {
            sidecar["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 15090, ["name"] = "http-envoy-prom", ["protocol"] = "TCP" });
        }

        // The gateway template keeps the env the Deployment gave istio-proxy (e.g. ISTIO_META_REQUESTED_NETWORK_VIEW).
        var env = proxy?["env"] is JsonArray given ? (JsonArray)given.DeepClone() : new JsonArray();
        void Add(string name, string value)
        {
            if (!env.OfType<JsonObject>().Any(e => e.Str("name") == name))
            {
                env.Add(new JsonObject { ["name"] = name, ["value"] = value });
            }
        }

        Add("ISTIO_META_CLUSTER_ID", install.ClusterId);
        Add("ISTIO_META_MESH_ID", install.MeshId ?? "cluster.local");
        var network = pod.Str("metadata", "labels", "topology.istio.io/network") ?? install.GlobalNetwork;
        if (network is not null)
        {
            Add("ISTIO_META_NETWORK", network);
        }

        foreach (var (key, value) in ProxyMetadata(pod, revision))
        {
            Add(key, value);
        }

        sidecar["env"] = env;
        if (proxy is null)
        {
            containers ??= [];
            spec["containers"] = containers;
            containers.Add(sidecar);
            if (pod["status"]?["containerStatuses"] is JsonArray statuses && statuses.OfType<JsonObject>().FirstOrDefault() is { } first)
            {
                var status = first.DeepClone().AsObject();
                status["name"] = PodFacts.SidecarName;
                status["image"] = sidecar["image"]!.DeepClone();
                status["containerID"] = $"containerd://{Guid.NewGuid():N}";
                statuses.Add(status);
            }
        }

        var meta = pod["metadata"]!.AsObject();
        if (meta["labels"] is not JsonObject labels)
        {
            labels = new JsonObject();
            meta["labels"] = labels;
        }

        labels["security.istio.io/tlsMode"] = "istio";
        labels["service.istio.io/canonical-name"] ??= labels["app.kubernetes.io/name"]?.DeepClone() ?? labels["app"]?.DeepClone() ?? pod.Name();
        labels["service.istio.io/canonical-revision"] ??= labels["app.kubernetes.io/version"]?.DeepClone() ?? labels["version"]?.DeepClone() ?? "latest";
        if (install.Version >= new SimVersion(1, 8))
        {
            labels["istio.io/rev"] = revision;
        }

        if (network is not null)
        {
            labels["topology.istio.io/network"] = network;
        }

        if (meta["annotations"] is not JsonObject annotations)
        {
            annotations = new JsonObject();
            meta["annotations"] = annotations;
        }

        annotations[StatusAnnotation] = Status.Replace("REV", revision, StringComparison.Ordinal);
    }

    /// <summary>
    /// The revision whose webhook the API server calls for this pod (the webhooks' namespace and object selectors), or null. The
    /// <c>sidecar.istio.io/inject: "false"</c> label is in the object selector; the annotation is read by istiod, after the call.
    /// </summary>
    private string? WebhookRevision(JsonObject pod)
    {
        var nsLabels = cluster.Store.Find(cluster.Catalog.FindByPlural("", "namespaces")!, null, pod.Namespace()).Map("metadata", "labels");
        var podLabels = pod.Map("metadata", "labels");
        if (podLabels.GetValueOrDefault("sidecar.istio.io/inject") == "false" || nsLabels.GetValueOrDefault("istio-injection") == "disabled")
        {
            return null;
        }

        if (nsLabels.GetValueOrDefault("istio-injection") == "enabled")
        {
            return "default";
        }

        if (nsLabels.GetValueOrDefault("istio.io/rev") is { } rev)
        {
            return rev;
        }

        return podLabels.GetValueOrDefault("sidecar.istio.io/inject") == "true" ? podLabels.GetValueOrDefault("istio.io/rev") ?? "default" : null;
    }

    private bool Installed(string revision) =>
        cluster.Store.Scan(cluster.Catalog.FindByPlural("apps", "deployments")!, "istio-system")
            .Any(d => d.Value.Str("metadata", "labels", "app") == "istiod" && (d.Value.Str("metadata", "labels", "istio.io/rev") ?? "default") == revision);

    /// <summary>The mesh config's <c>defaultConfig.proxyMetadata</c>, overridden by the pod's <c>proxy.istio.io/config</c> annotation.</summary>
    private IEnumerable<KeyValuePair<string, string>> ProxyMetadata(JsonObject pod, string revision)
    {
        var configMap = revision == "default" ? "istio" : $"istio-{revision}";
        var mesh = cluster.Store.Find(cluster.Catalog.FindByPlural("", "configmaps")!, "istio-system", configMap).Str("data", "mesh");
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in MeshConfigYaml.Map(mesh, "defaultConfig", "proxyMetadata"))
        {
            merged[key] = value;
        }

        foreach (var (key, value) in MeshConfigYaml.Map(pod.Str("metadata", "annotations", "proxy.istio.io/config"), "proxyMetadata"))
        {
            merged[key] = value;
        }

        return merged.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.ToString(CultureInfo.InvariantCulture)));
    }
}
