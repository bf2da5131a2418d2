using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Store;

/// <summary>One <c>metadata.managedFields</c> entry: what one manager owns through one kind of operation.</summary>
internal sealed class ManagedFieldsEntry
{
    public required string Manager { get; init; }

    /// <summary>"Apply" (server-side apply) or "Update" (create, update, patch).</summary>
    public required string Operation { get; init; }

    public required string ApiVersion { get; set; }

    public required string Time { get; set; }

    public HashSet<string> Fields { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>Reads, writes and updates managed fields on stored objects (simplified structured-merge-diff).</summary>
internal static class ManagedFields
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public static List<ManagedFieldsEntry> Read(JsonObject obj)
    {
        var list = new List<ManagedFieldsEntry>();
        if (obj["metadata"]?["managedFields"] is not JsonArray array)
        {
            return list;
        }

        foreach (var item in array.OfType<JsonObject>())
        {
            list.Add(new ManagedFieldsEntry
            {
                Manager = (string?)item["manager"] ?? "",
                Operation = (string?)item["operation"] ?? Update,
                ApiVersion = (string?)item["apiVersion"] ?? "",
                Time = (string?)item["time"] ?? "",
                Fields = FieldPaths.FromFieldsV1(item["fieldsV1"] as JsonObject),
            });
        }

        return list;
    }

    public static void Write(JsonObject obj, List<ManagedFieldsEntry> entries)
    {
        var meta = obj["metadata"]!.AsObject();
        var array = new JsonArray();
        foreach (var e in entries.Where(e => e.Fields.Count > 0))
        {
            array.Add(new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPaths.ToFieldsV1(e.Fields),
            });
        }

        if (array.Count == 0)
        {
            meta.Remove("managedFields");
        }
        else
        {
            meta["managedFields"] = array;
        }
    }

    public static ManagedFieldsEntry Entry(List<ManagedFieldsEntry> entries, string manager, string operation, string apiVersion, string time)
    {
        var entry = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == operation);
        if (entry is null)
        {
            entry = new ManagedFieldsEntry { Manager = manager, Operation = operation, ApiVersion = apiVersion, Time = time };
            entries.Add(entry);
        }

        entry.ApiVersion = apiVersion;
        entry.Time = time;
        return entry;
    }

    /// <summary>
    /// Records a non-apply write: the manager takes every leaf whose value it changed (from everyone else),
    /// and nobody keeps a leaf that no longer exists.
    /// </summary>
    public static void RecordUpdate(List<ManagedFieldsEntry> entries, string manager, string apiVersion, string time,
        JsonObject? before, JsonObject after)
    {
        var afterLeaves = FieldPaths.Leaves(after);
        var changed = afterLeaves.Where(p => before is null || !FieldPaths.TryGet(before, p, out var old) ||
            !JsonNode.DeepEquals(old, FieldPaths.TryGet(after, p, out var now) ? now : null)).ToHashSet(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            e.Fields.IntersectWith(afterLeaves);
            if (!(e.Manager == manager && e.Operation == Update))
            {
                e.Fields.ExceptWith(changed);
            }
        }

        if (changed.Count > 0)
        {
            Entry(entries, manager, Update, apiVersion, time).Fields.UnionWith(changed);
        }

        entries.RemoveAll(e => e.Fields.Count == 0);
    }
}
