using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Store;

/// <summary>RFC 7386 JSON merge patch, plus the non-deleting deep merge that server-side apply uses.</summary>
internal static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> in place (null deletes a member).</summary>
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && target[key] is JsonObject targetChild)
            {
                Apply(targetChild, patchChild);
            }
            else if (value is JsonObject newChild)
            {
                var fresh = new JsonObject();
                Apply(fresh, newChild);
                target[key] = fresh;
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>Deep merge: objects are merged member by member, everything else (lists too) is replaced.</summary>
    public static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source.ToList())
        {
            if (value is JsonObject sourceChild && target[key] is JsonObject targetChild)
            {
                Merge(targetChild, sourceChild);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
