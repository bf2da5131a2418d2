using System.Text.Json.Nodes;

namespace MeshPortal.Core.Reconciliation;

/// <summary>
/// "Does the live object already contain every field the desired object sets, with the same value?" Fields the server
/// or other managers add (status, defaults, other labels) are ignored; arrays must match element by element.
/// </summary>
public static class JsonSubset
{
    /// <summary>The first path where <paramref name="live"/> differs from <paramref name="desired"/>, or null when it contains it.</summary>
    public static string? FirstDifference(JsonNode? desired, JsonNode? live, string path = "")
    {
        switch (desired)
        {
            case null:
                return live is null ? null : Display(path);
            case JsonObject want:
                if (live is not JsonObject have)
                {
                    return Display(path);
                }

                foreach (var (key, value) in want)
                {
                    if (!have.TryGetPropertyValue(key, out var other))
                    {
                        return value is null ? null : Display($"{path}.{key}");
                    }

                    if (FirstDifference(value, other, $"{path}.{key}") is { } diff)
                    {
                        return diff;
                    }
                }

                return null;
            case JsonArray wantItems:
                if (live is not JsonArray haveItems || haveItems.Count != wantItems.Count)
                {
                    return Display(path);
                }

                for (var i = 0; i < wantItems.Count; i++)
                {
                    if (FirstDifference(wantItems[i], haveItems[i], $"{path}[{i}]") is { } diff)
                    {
                        return diff;
                    }
                }

                return null;
            default:
                return JsonNode.DeepEquals(desired, live) ? null : Display(path);
        }
    }

    private static string Display(string path) => path.Length == 0 ? "." : path.TrimStart('.');
}
