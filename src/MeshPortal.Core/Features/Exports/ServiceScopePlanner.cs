using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Mesh-config <c>serviceSettings</c> (Source "service-scope", <see cref="ApplyMode.Merge"/>), when the mesh setting "only exported
/// services leave their cluster" is on: in every primary that does not run MCS discovery, istiod's mesh config gets
/// <c>clusterLocal: true</c> for <c>*</c> and <c>clusterLocal: false</c> for the hosts exported in the multi-primary model, so a
/// service no export names stays in its cluster (istiod then leaves other clusters' endpoints out of it, and recomputes the
/// cluster-local hosts on every mesh config change, so no istiod restart is needed: <c>pilot/pkg/model/cluster_local.go</c>@1.24.0:59-64,
/// <c>AddMeshHandler</c> → <c>onMeshUpdated</c>).
/// <para>
/// Server-side apply cannot merge inside a string, so this is read-modify-write: the planner reads the live <c>mesh</c> text, changes
/// only <c>serviceSettings</c> (<see cref="MeshConfigEditor"/>), and applies it with the live <c>resourceVersion</c>, which the API
/// server checks: if the install rewrote the ConfigMap in between, the write fails with a conflict and the next push starts over
/// from the new text. serviceSettings the install wrote itself are never replaced (a note says so). Turning the setting off
/// removes MeshPortal's entries again. The annotation records the list MeshPortal wrote, so it knows its own entries.
/// </para>
/// </summary>
public sealed class ServiceScopePlanner(ExportSnapshot snapshot) : IClusterPlanner
{
    public const string Source = "service-scope";
    public const string WrittenAnnotation = "meshportal.io/service-settings";

    public static ObjectRef MeshConfigRef(ClusterTarget cluster) =>
        new("", "v1", "configmaps", "ConfigMap", "istio-system",
            cluster.Mesh?.Revision is null or "" or "default" ? "istio" : $"istio-{cluster.Mesh.Revision}");

    private static bool Applies(ClusterTarget cluster) => cluster.Mesh is { } mesh && MultiPrimaryRules.Decide(mesh).Supported;

    /// <summary>The mesh config is read only where the setting is on or was once (to take MeshPortal's entries out): never used, never read.</summary>
    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) =>
        Applies(cluster) && (snapshot.Settings.ClusterLocalByDefault || snapshot.Settings.ServiceScopeUsed) ? [MeshConfigRef(cluster)] : [];

    /// <summary>The names whose endpoints may leave their cluster: every export some consumer takes in the multi-primary model.</summary>
    public IReadOnlyList<string> GlobalHosts() =>
        [.. snapshot.Exports.Where(snapshot.HasModernConsumers).Select(e => ExportNamingRules.ModernHost(e.Service, e.Namespace, false)).Distinct().Order(StringComparer.Ordinal)];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        if (!Applies(cluster) || live.Get(MeshConfigRef(cluster)) is not { } configMap)
        {
            return PlanContribution.None;
        }

        var reference = MeshConfigRef(cluster);
        var mesh = (string?)configMap["data"]?["mesh"];
        var ours = (string?)configMap["metadata"]?["annotations"]?[WrittenAnnotation];
        var wanted = snapshot.Settings.ClusterLocalByDefault && cluster.Mesh is not { McsServiceDiscovery: true };
        var notes = new List<string>();
        if (snapshot.Settings.ClusterLocalByDefault && cluster.Mesh is { McsServiceDiscovery: true })
        {
            notes.Add($"{cluster.Name}: istiod runs MCS discovery, so a ServiceExport already decides which services leave the cluster; its mesh config serviceSettings are left alone.");
        }

        var edit = wanted ? MeshConfigEditor.With(mesh, ours, GlobalHosts()) : MeshConfigEditor.Without(mesh, ours);
        if (edit.Problem is not null)
        {
            notes.Add($"{cluster.Name}: istio-system/{reference.Name} was left alone: {edit.Problem}. Every service stays visible mesh-wide there; " +
                      $"add serviceSettings (clusterLocal: true for \"*\", false for {string.Join(", ", GlobalHosts())}) to the install's meshConfig instead.");
            return new PlanContribution([], notes);
        }

        if (edit.Mesh is null || edit.Mesh == mesh)
        {
            return new PlanContribution([], notes);
        }

        var body = IstioApi.Manifest(reference, Source, owned: false);
        var metadata = (JsonObject)body["metadata"]!;
        // The precondition: applied only onto the text that was read (409 Conflict otherwise; the next push reads again).
        metadata["resourceVersion"] = (string?)configMap["metadata"]?["resourceVersion"];
        if (edit.ServiceSettings is not null)
        {
            metadata["annotations"] = new JsonObject { [WrittenAnnotation] = edit.ServiceSettings };
        }

        body["data"] = new JsonObject { ["mesh"] = edit.Mesh };
        return new PlanContribution([new DesiredObject(reference, body, Source, ApplyMode.Merge)], notes);
    }
}
