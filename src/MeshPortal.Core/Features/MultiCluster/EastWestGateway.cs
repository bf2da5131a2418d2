using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.MultiCluster;

/// <summary>
/// The east-west gateway MeshPortal deploys when an admin asks for it (cluster page or
/// <c>POST /api/v1/clusters/{name}/east-west-gateway</c>), rendered the way Istio's <c>gateway</c> Helm chart renders it with the
/// values <c>samples/multicluster/gen-eastwest-gateway.sh</c> gives (both at 1.28.0):
/// <list type="bullet">
/// <item><c>manifests/charts/gateway/templates/serviceaccount.yaml</c> and <c>role.yaml</c>: the ServiceAccount and a Role/RoleBinding that
/// may get/watch/list Secrets in <c>istio-system</c>;</item>
/// <item><c>deployment.yaml</c>: labels <c>app</c>/<c>istio</c> (<c>_helpers.tpl</c> <c>gateway.selectorLabels</c>), the pod labels
/// <c>sidecar.istio.io/inject: "true"</c> and <c>istio.io/rev</c> of the cluster's revision (<c>gateway.sidecarInjectionLabels</c>) and
/// <c>topology.istio.io/network</c> (<c>networkGateway</c>), the annotation <c>inject.istio.io/templates: gateway</c> (values.yaml
/// <c>podAnnotations</c>), container <c>istio-proxy</c> with <c>image: auto</c> (filled by the injector) and
/// <c>ISTIO_META_REQUESTED_NETWORK_VIEW</c> = the network;</item>
/// <item><c>service.yaml</c> with the script's ports: LoadBalancer, <c>status-port</c> 15021, <c>tls</c> 15443, <c>tls-istiod</c> 15012,
/// <c>tls-webhook</c> 15017, labelled with the network so istiod knows it as that network's gateway.</item>
/// </list>
/// The chart exists from Istio 1.12 (<c>manifests/charts/gateway</c> is absent at 1.11.0), so older clusters are told to use the
/// script. Everything is Owned (labelled, pruned when the request is withdrawn); a gateway of that name that MeshPortal does
/// not own is never overwritten. Pure.
/// </summary>
public static class EastWestGateway
{
    public const string Name = MeshFactsReader.EastWestName;
    public const string ServiceAccountName = Name;

    public static readonly IstioRelease FirstChart = new(1, 12, 0);

    public static ObjectRef ServiceRef => new("", "v1", "services", "Service", RemoteSecrets.Namespace, Name);

    public static ObjectRef DeploymentRef => new("apps", "v1", "deployments", "Deployment", RemoteSecrets.Namespace, Name);

    public static IReadOnlyList<ObjectRef> Reads => [ServiceRef, DeploymentRef];

    /// <summary>Null when it can be deployed here, else why not (in words for the cluster page and the API).</summary>
    public static string? CannotDeploy(string clusterName, string? network, MeshFacts? facts)
    {
        if (facts is null)
        {
            return $"{clusterName}: its mesh model has not been read yet; run its connection check first.";
        }

        if (!IstioRelease.TryParse(facts.IstioVersion, out var release) || release < FirstChart)
        {
            return $"{clusterName} runs Istio {facts.IstioVersion ?? "(unknown)"}: the gateway chart MeshPortal renders exists from 1.12; install the east-west gateway with Istio's samples/multicluster/gen-eastwest-gateway.sh.";
        }

        return string.IsNullOrWhiteSpace(network)
            ? $"{clusterName} has no network: an east-west gateway serves one network; set the cluster's network first."
            : null;
    }

    /// <summary>
    /// The objects, or none with a note: when a Service or Deployment of that name exists that MeshPortal does not own (the
    /// user's gateway, used as it is), or when the cluster cannot take it.
    /// </summary>
    public static PlanContribution Plan(ClusterTarget cluster, LiveObjects live, string source)
    {
        if (CannotDeploy(cluster.Name, cluster.Network, cluster.Mesh) is { } reason)
        {
            return new PlanContribution([], [$"East-west gateway not deployed: {reason}"]);
        }

        var foreign = Reads.Select(live.Get).FirstOrDefault(o => o is not null && !IsOwned(o));
        if (foreign is not null)
        {
            return new PlanContribution([], [$"{cluster.Name}: an east-west gateway ({foreign["kind"]} istio-system/{Name}) was installed without MeshPortal; it is used as it is and never overwritten."]);
        }

        return new PlanContribution(Objects(cluster.Network!, cluster.Mesh!.Revision, source), []);
    }

    public static bool IsOwned(JsonObject live) => live["metadata"]?["labels"]?[ManagedLabels.ManagedBy]?.GetValue<string>() == ManagedLabels.ManagedByValue;

    public static IReadOnlyList<DesiredObject> Objects(string network, string? revision, string source)
    {
        var ns = RemoteSecrets.Namespace;
        JsonObject Labels() => new()
        {
            ["app"] = Name,
            ["istio"] = "eastwestgateway",
            ["topology.istio.io/network"] = network,
        };

        var podLabels = Labels();
        podLabels["sidecar.istio.io/inject"] = "true";
        if (!string.IsNullOrEmpty(revision) && revision != "default")
        {
            podLabels["istio.io/rev"] = revision;
        }

        var serviceAccount = new DesiredObject(new ObjectRef("", "v1", "serviceaccounts", "ServiceAccount", ns, ServiceAccountName), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = ServiceAccountName, ["namespace"] = ns, ["labels"] = Labels() },
        }, source);
        var role = new DesiredObject(new ObjectRef("rbac.authorization.k8s.io", "v1", "roles", "Role", ns, ServiceAccountName), new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "Role",
            ["metadata"] = new JsonObject { ["name"] = ServiceAccountName, ["namespace"] = ns, ["labels"] = Labels() },
            ["rules"] = JsonNode.Parse("""[{"apiGroups":[""],"resources":["secrets"],"verbs":["get","watch","list"]}]"""),
        }, source);
        var binding = new DesiredObject(new ObjectRef("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", ns, ServiceAccountName), new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = ServiceAccountName, ["namespace"] = ns, ["labels"] = Labels() },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = ServiceAccountName },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = ServiceAccountName }),
        }, source);
        var deployment = new DesiredObject(DeploymentRef, new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = ns, ["labels"] = Labels() },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = Name, ["istio"] = "eastwestgateway" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["annotations"] = new JsonObject { ["inject.istio.io/templates"] = "gateway", ["sidecar.istio.io/inject"] = "true" },
                        ["labels"] = podLabels,
                    },
                    ["spec"] = new JsonObject
                    {
                        ["serviceAccountName"] = ServiceAccountName,
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "istio-proxy",
                            ["image"] = "auto",
                            ["env"] = new JsonArray(new JsonObject { ["name"] = "ISTIO_META_REQUESTED_NETWORK_VIEW", ["value"] = network }),
                            ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 15090, ["protocol"] = "TCP", ["name"] = "http-envoy-prom" }),
                        }),
                    },
                },
            },
        }, source);
        var service = new DesiredObject(ServiceRef, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = ns, ["labels"] = Labels() },
            ["spec"] = new JsonObject
            {
                ["type"] = "LoadBalancer",
                ["selector"] = new JsonObject { ["app"] = Name, ["istio"] = "eastwestgateway" },
                ["ports"] = new JsonArray(
                    Port("status-port", 15021), Port("tls", 15443), Port("tls-istiod", 15012), Port("tls-webhook", 15017)),
            },
        }, source);
        return [serviceAccount, role, binding, deployment, service];
    }

    private static JsonObject Port(string name, int number) => new() { ["name"] = name, ["port"] = number, ["targetPort"] = number, ["protocol"] = "TCP" };
}
