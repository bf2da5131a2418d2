using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Store;

/// <summary>A field another manager owns with a different value than the applier wants.</summary>
internal sealed record ApplyConflict(string Manager, string ApiVersion, string Path);

/// <summary>
/// Server-side apply, simplified but honest: the applied configuration's leaves are the applier's field set;
/// a leaf owned by another manager with a different value is a conflict (unless forced, which moves ownership);
/// leaves the applier owned before but no longer applies are removed when nobody else owns them.
/// </summary>
internal static class ServerSideApply
{
    public static List<ApplyConflict> Run(JsonObject current, JsonObject applied, List<ManagedFieldsEntry> entries,
        string manager, string apiVersion, string time, bool force)
    {
        var wanted = FieldPaths.Leaves(applied);
        var conflicts = new List<ApplyConflict>();
        foreach (var e in entries.Where(e => !(e.Manager == manager && e.Operation == ManagedFields.Apply)))
        {
            foreach (var path in e.Fields.Where(wanted.Contains).Order(StringComparer.Ordinal))
            {
                FieldPaths.TryGet(current, path, out var have);
                FieldPaths.TryGet(applied, path, out var want);
                if (!JsonNode.DeepEquals(have, want))
                {
                    conflicts.Add(new ApplyConflict(e.Manager, e.ApiVersion, path));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            return conflicts;
        }

        foreach (var c in conflicts)
        {
            entries.First(e => e.Manager == c.Manager && e.ApiVersion == c.ApiVersion && e.Fields.Contains(c.Path)).Fields.Remove(c.Path);
        }

        var mine = ManagedFields.Entry(entries, manager, ManagedFields.Apply, apiVersion, time);
        foreach (var path in mine.Fields.Where(p => !wanted.Contains(p)).ToList())
        {
            var ownedElsewhere = entries.Any(e => e != mine && e.Fields.Contains(path));
            if (!ownedElsewhere)
            {
                FieldPaths.Remove(current, path);
            }
        }

        var patch = applied.DeepClone().AsObject();
        patch.Remove("status");
        JsonMergePatch.Merge(current, patch);
        mine.Fields.Clear();
        mine.Fields.UnionWith(wanted);
        var leaves = FieldPaths.Leaves(current);
        foreach (var e in entries)
        {
            e.Fields.IntersectWith(leaves);
        }

        entries.RemoveAll(e => e.Fields.Count == 0);
        return [];
    }
}
