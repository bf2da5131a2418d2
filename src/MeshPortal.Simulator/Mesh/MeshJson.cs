using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>Tolerant reads of Kubernetes objects held as JSON: a missing or mistyped field reads as absent.</summary>
internal static class MeshJson
{
    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var name in path)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? child : null;
        }

        return node;
    }

    /// <summary>A string, number or boolean at the path, as text ("8000", "true"); null otherwise.</summary>
    public static string? Str(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonValue value
            ? value.GetValueKind() switch
            {
                JsonValueKind.String or JsonValueKind.Number => value.ToString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    public static long? Num(this JsonNode? node, params string[] path) =>
        long.TryParse(node.Str(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray array ? array.OfType<JsonObject>() : [];

    public static IEnumerable<string> Strings(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray array
            ? array.Select(item => item.Str()).Where(s => s is not null).Select(s => s!)
            : [];

    /// <summary>The string entries of a map such as <c>metadata.labels</c> or <c>spec.selector</c>.</summary>
    public static IReadOnlyDictionary<string, string> Map(this JsonNode? node, params string[] path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.At(path) is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value.Str() is { } s)
                {
                    result[key] = s;
                }
            }
        }

        return result;
    }

    public static string Name(this JsonNode? node) => node.Str("metadata", "name") ?? "";

    public static string Namespace(this JsonNode? node) => node.Str("metadata", "namespace") ?? "";
}
