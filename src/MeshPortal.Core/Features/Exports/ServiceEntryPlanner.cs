using System.Text.Json.Nodes;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// For each export a cluster consumes: its ServiceEntry (Source <c>export/&lt;id&gt;</c>) in the exports namespace, which is
/// created when missing (CreateOnly). Exports whose exporting cluster has no known gateway address are skipped with a note.
/// </summary>
public sealed class ServiceEntryPlanner(ExportSnapshot snapshot) : IClusterPlanner
{
    public const string NamespaceSource = "exports";

    public IReadOnlyList<ObjectRef> Reads(ClusterTarget cluster) => [];

    public PlanContribution Plan(ClusterTarget cluster, LiveObjects live)
    {
        var consumed = snapshot.ConsumedBy(cluster.Id);
        if (consumed.Count == 0)
        {
            return PlanContribution.None;
        }

        var objects = new List<DesiredObject>();
        var notes = new List<string>();
        foreach (var export in consumed)
        {
            var exporter = snapshot.Cluster(export.ClusterId)!;
            if (string.IsNullOrEmpty(exporter.GatewayAddress))
            {
                notes.Add($"{export.Host}: skipped, cluster {exporter.Name} has no known ingress gateway address yet (run its connection check).");
                continue;
            }

            objects.Add(ServiceEntryBuilder.Build(export, exporter, cluster, snapshot.Settings));
        }

        if (objects.Count > 0)
        {
            objects.Insert(0, Namespace(snapshot.Settings.Namespace));
        }

        return new PlanContribution(objects, notes);
    }

    public static DesiredObject Namespace(string name)
    {
        var reference = new ObjectRef("", "v1", "namespaces", "Namespace", null, name);
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
        return new DesiredObject(reference, body, NamespaceSource, ApplyMode.CreateOnly);
    }
}
