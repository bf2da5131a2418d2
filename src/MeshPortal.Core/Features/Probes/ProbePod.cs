using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Clusters;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;
using MeshPortal.Core.Platform.Persistence;

namespace MeshPortal.Core.Features.Probes;

/// <summary>Where a cluster's probes run: the namespace and label selector of the pod to exec into, and the container.</summary>
public sealed record ProbePodChoice(string Namespace, string LabelSelector, string? Container, bool Owned)
{
    /// <summary>
    /// The cluster's own probe pod when <see cref="ClusterEntity.ProbeOwnPod"/> is set; otherwise the cluster's namespace and
    /// selector, falling back to the <c>MeshPortal:Probes:Clusters</c> override and then the defaults (<c>foo</c>, <c>app=sleep</c>).
    /// </summary>
    public static ProbePodChoice For(ClusterEntity cluster, ProbeOptions options)
    {
        if (cluster.ProbeOwnPod)
        {
            return new ProbePodChoice(ProbePod.Namespace, ProbePod.LabelSelector, ProbePod.Container, true);
        }

        var configured = options.PodFor(cluster.Name);
        return new ProbePodChoice(
            string.IsNullOrWhiteSpace(cluster.ProbeNamespace) ? configured.Namespace! : cluster.ProbeNamespace,
            string.IsNullOrWhiteSpace(cluster.ProbeLabelSelector) ? configured.LabelSelector! : cluster.ProbeLabelSelector,
            configured.Container,
            false);
    }
}

/// <summary>The probe pod MeshPortal deploys when a cluster asks for it: a curl container in a sidecar-injected namespace.</summary>
public static class ProbePod
{
    public const string Source = "probe-pod";
    public const string Namespace = "meshportal-probe";
    public const string Name = "meshportal-probe";
    public const string Container = "curl";
    /// <summary>curl's official image: multi-arch (amd64, arm64, ...), with busybox's sleep.</summary>
    public const string DefaultImage = "curlimages/curl:8.11.0";
    public const string AppLabel = "app.kubernetes.io/name";
    public const string LabelSelector = AppLabel + "=" + Name;

    /// <summary>Istio's namespace label for automatic sidecar injection.</summary>
    public const string InjectionLabel = "istio-injection";

    public static ObjectRef NamespaceRef(string name) => new("", "v1", "namespaces", "Namespace", null, name);

    public static ObjectRef PodRef(string @namespace, string name) => new("", "v1", "pods", "Pod", @namespace, name);

    public static ObjectRef ServiceRef(string @namespace, string name) => new("", "v1", "services", "Service", @namespace, name);

    /// <summary>A namespace labelled for sidecar injection.</summary>
    public static JsonObject InjectedNamespace(string name) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [InjectionLabel] = "enabled" } },
    };

    public static JsonObject Body(string image = DefaultImage) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [AppLabel] = Name } },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = Container,
                ["image"] = image,
                ["command"] = new JsonArray("/bin/sleep", "3650d"), // as the seed's sleep pod (busybox sleep understands the d suffix)
            }),
            ["terminationGracePeriodSeconds"] = 0,
        },
    };
}

/// <summary>Pure planner: the probe namespace and pod in every cluster that asked for MeshPortal's own probe pod.</summary>
public sealed class ProbePodPlanner(IReadOnlySet<int> clustersWithOwnPod, string image = ProbePod.DefaultImage) : IClusterPlanner
{
    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => [];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live) =>
        !clustersWithOwnPod.Contains(cluster.Id)
            ? PlanContribution.None
            : new PlanContribution(
            [
                new DesiredObject(ProbePod.NamespaceRef(ProbePod.Namespace), ProbePod.InjectedNamespace(ProbePod.Namespace), ProbePod.Source),
                new DesiredObject(ProbePod.PodRef(ProbePod.Namespace, ProbePod.Name), ProbePod.Body(image), ProbePod.Source),
            ], []);
}

/// <summary>The "probe-pod" desired-state source: which clusters want MeshPortal's own probe pod.</summary>
public sealed class ProbePodSource(Microsoft.Extensions.Options.IOptions<ProbeOptions> options) : IDesiredStateSource
{
    public string Name => ProbePod.Source;

    public async Task<IClusterPlanner> LoadAsync(MeshPortalDbContext db, CancellationToken ct)
    {
        var ids = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Clusters.Where(c => c.ProbeOwnPod).Select(c => c.Id), ct);
        return new ProbePodPlanner(ids.ToHashSet(), options.Value.ProbePodImage);
    }
}
