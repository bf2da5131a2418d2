using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Store;

/// <summary>
/// Simplified field sets for managed fields: a field is the path to a leaf, where a leaf is a scalar,
/// a list (lists are atomic here) or an empty object. Paths are key lists joined by <see cref="Separator"/>.
/// </summary>
internal static class FieldPaths
{
    public const char Separator = '\u001f';

    private static readonly HashSet<string> IgnoredMetadata =
        ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "generateName", "selfLink",
         "deletionTimestamp"];

    /// <summary>The owned leaves of an object: everything but apiVersion, kind, status and system metadata.</summary>
    public static HashSet<string> Leaves(JsonObject obj)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" or "status")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject meta)
            {
                foreach (var (mk, mv) in meta)
                {
                    if (!IgnoredMetadata.Contains(mk))
                    {
                        Collect(mv, "metadata" + Separator + mk, result);
                    }
                }

                continue;
            }

            Collect(value, key, result);
        }

        return result;
    }

    private static void Collect(JsonNode? node, string path, HashSet<string> result)
    {
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (key, value) in o)
            {
                Collect(value, path + Separator + key, result);
            }
        }
        else
        {
            result.Add(path);
        }
    }

    public static string Display(string path) => "." + path.Replace(Separator, '.');

    public static bool TryGet(JsonObject root, string path, out JsonNode? value)
    {
        JsonNode? current = root;
        foreach (var key in path.Split(Separator))
        {
            if (current is not JsonObject o || !o.TryGetPropertyValue(key, out current))
            {
                value = null;
                return false;
            }
        }

        value = current;
        return true;
    }

    /// <summary>Removes the leaf at <paramref name="path"/> and any parent objects left empty by it.</summary>
    public static void Remove(JsonObject root, string path)
    {
        var keys = path.Split(Separator);
        var chain = new List<JsonObject> { root };
        foreach (var key in keys[..^1])
        {
            if (chain[^1][key] is not JsonObject child)
            {
                return;
            }

            chain.Add(child);
        }

        chain[^1].Remove(keys[^1]);
        for (var i = chain.Count - 1; i > 0; i--)
        {
            if (chain[i].Count > 0 || (i == 1 && keys[0] == "metadata"))
            {
                break;
            }

            chain[i - 1].Remove(keys[i - 1]);
        }
    }

    /// <summary>fieldsV1 form: {"f:spec":{"f:hosts":{}}}.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.OrderBy(p => p, StringComparer.Ordinal))
        {
            var current = root;
            foreach (var key in path.Split(Separator))
            {
                var name = "f:" + key;
                if (current[name] is not JsonObject next)
                {
                    next = new JsonObject();
                    current[name] = next;
                }

                current = next;
            }
        }

        return root;
    }

    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (fields is not null)
        {
            Walk(fields, null, result);
        }

        return result;
    }

    private static void Walk(JsonObject node, string? prefix, HashSet<string> result)
    {
        foreach (var (key, value) in node)
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal))
            {
                continue;
            }

            var path = prefix is null ? key[2..] : prefix + Separator + key[2..];
            if (value is JsonObject child && child.Count > 0)
            {
                Walk(child, path, result);
            }
            else
            {
                result.Add(path);
            }
        }
    }
}
