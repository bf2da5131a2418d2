using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Exports in the multi-primary model (Source <c>export/&lt;id&gt;</c>):
/// <list type="bullet">
/// <item>in the exporting cluster, a <c>ServiceExport</c> where istiod runs MCS discovery (<c>ENABLE_MCS_SERVICE_DISCOVERY</c>:
/// without one the service stays cluster-local, <c>pilot/pkg/features/experimental.go</c>@1.24.0);</item>
/// <item>in a consumer without DNS capture, a selector-less Service of the same name and ports (and its namespace), so that
/// <c>name.ns.svc.cluster.local</c> resolves there; a Service MeshPortal does not own is never touched (it already resolves).</item>
/// </list>
/// Without MCS every service is visible mesh-wide through the remote secrets: an export then adds DNS and probes only.
/// </summary>
public sealed class ModernExportPlanner(ExportSnapshot snapshot) : IClusterPlanner
{
    public const string McsGroup = "multicluster.x-k8s.io";
    public const string McsVersion = "v1alpha1";

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) =>
        cluster.Mesh is { DnsCapture: true } ? [] : [.. snapshot.ConsumedModernBy(cluster.Id).Select(e => ServiceRef(e.Namespace, e.Service)).Distinct()];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        var objects = new List<DesiredObject>();
        var notes = new List<string>();
        foreach (var export in snapshot.ExportedFrom(cluster.Id).Where(snapshot.HasModernConsumers))
        {
            if (cluster.Mesh is not { McsServiceDiscovery: true })
            {
                continue;
            }

            if (!cluster.Mesh.McsCrds)
            {
                notes.Add($"{cluster.Name}: istiod runs MCS discovery but the ServiceExport CRD (multicluster.x-k8s.io) is not installed, so {export.Namespace}/{export.Service} stays cluster-local. Install the MCS CRDs.");
                continue;
            }

            objects.Add(ServiceExport(export));
        }

        if (cluster.Mesh is { DnsCapture: true })
        {
            return new PlanContribution(objects, notes);
        }

        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in snapshot.ConsumedModernBy(cluster.Id))
        {
            var existing = live.Get(ServiceRef(export.Namespace, export.Service));
            if (existing is not null && existing["metadata"]?["labels"]?[ManagedLabels.ManagedBy]?.GetValue<string>() != ManagedLabels.ManagedByValue)
            {
                continue; // the cluster has its own Service of that name: the name resolves and MeshPortal leaves it alone
            }

            if (namespaces.Add(export.Namespace))
            {
                objects.Add(new DesiredObject(new ObjectRef("", "v1", "namespaces", "Namespace", null, export.Namespace), new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Namespace",
                    ["metadata"] = new JsonObject { ["name"] = export.Namespace },
                }, export.Source, ApplyMode.CreateOnly));
            }

            objects.Add(DnsService(export));
        }

        return new PlanContribution(objects, notes);
    }

    public static ObjectRef ServiceRef(string @namespace, string name) => new("", "v1", "services", "Service", @namespace, name);

    public static DesiredObject ServiceExport(ExportSpec export) => new(
        new ObjectRef(McsGroup, McsVersion, "serviceexports", "ServiceExport", export.Namespace, export.Service),
        new JsonObject
        {
            ["apiVersion"] = $"{McsGroup}/{McsVersion}",
            ["kind"] = "ServiceExport",
            ["metadata"] = new JsonObject { ["name"] = export.Service, ["namespace"] = export.Namespace },
        },
        export.Source);

    /// <summary>A Service without selector: a ClusterIP and a DNS name here, endpoints from the other clusters through istiod.</summary>
    public static DesiredObject DnsService(ExportSpec export) => new(
        ServiceRef(export.Namespace, export.Service),
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = export.Service, ["namespace"] = export.Namespace },
            ["spec"] = new JsonObject
            {
                ["ports"] = new JsonArray([.. export.Ports.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name,
                    ["port"] = p.Number,
                    ["protocol"] = "TCP",
                })]),
            },
        },
        export.Source);
}
