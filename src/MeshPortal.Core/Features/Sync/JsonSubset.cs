using System.Text.Json.Nodes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>
/// "Does the live object already contain every field the desired object sets, with the same value?" Fields the server
/// or other managers add (status, defaults, other labels) are ignored; arrays must match element by element.
/// </summary>
public static class JsonSubset
{
    /// <summary>The first path where <paramref name="live"/> differs from <paramref name="desired"/>, or null when it contains it.</summary>
    /// <remarks>The steady state compares every managed object on every push, so the path is only built once a difference is found.</remarks>
    public static string? FirstDifference(JsonNode? desired, JsonNode? live, string path = "")
    {
        var trail = new List<string>();
        return Differs(desired, live, trail) ? Display(path + string.Concat(Enumerable.Reverse(trail))) : null;
    }

    /// <summary>True when they differ; <paramref name="trail"/> then holds the path segments, innermost first.</summary>
    private static bool Differs(JsonNode? desired, JsonNode? live, List<string> trail)
    {
        switch (desired)
        {
            case null:
                return live is not null;
            case JsonObject want:
                if (live is not JsonObject have)
                {
                    return true;
                }

                foreach (var (key, value) in want)
                {
                    if (!have.TryGetPropertyValue(key, out var other))
                    {
                        if (value is null)
                        {
                            continue;
                        }

                        trail.Add("." + key);
                        return true;
                    }

                    if (AssociativeByName.Contains(key) && value is JsonArray wantList && other is JsonArray haveList
                        ? DiffersByName(wantList, haveList, trail)
                        : Differs(value, other, trail))
                    {
                        trail.Add("." + key);
                        return true;
                    }
                }

                return false;
            case JsonArray wantItems:
                if (live is not JsonArray haveItems || haveItems.Count != wantItems.Count)
                {
                    return true;
                }

                for (var i = 0; i < wantItems.Count; i++)
                {
                    if (Differs(wantItems[i], haveItems[i], trail))
                    {
                        trail.Add($"[{i}]");
                        return true;
                    }
                }

                return false;
            case JsonValue wantValue when live is JsonValue haveValue
                && wantValue.TryGetValue<string>(out var wantText) && haveValue.TryGetValue<string>(out var haveText):
                return !string.Equals(wantText, haveText, StringComparison.Ordinal); // most fields: no JsonElement round trip
            default:
                return !JsonNode.DeepEquals(desired, live);
        }
    }

    /// <summary>
    /// Pod-spec lists Kubernetes merges by <c>name</c> (<c>x-kubernetes-list-map-keys</c>): an admission webhook may add
    /// entries (Istio's injected <c>istio-proxy</c>), so each desired entry is looked up by name and extra live entries are fine.
    /// </summary>
    private static readonly HashSet<string> AssociativeByName = new(StringComparer.Ordinal) { "containers", "initContainers", "volumes" };

    private static bool DiffersByName(JsonArray want, JsonArray have, List<string> trail)
    {
        foreach (var item in want)
        {
            var name = (item as JsonObject)?["name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string?)item!["name"] : null;
            if (name is null)
            {
                return Differs(want, have, trail);
            }

            var match = have.OfType<JsonObject>().FirstOrDefault(h => h["name"] is JsonValue v && v.TryGetValue<string>(out var n) && n == name);
            if (match is null || Differs(item, match, trail))
            {
                trail.Add($"[name={name}]");
                return true;
            }
        }

        return false;
    }

    private static string Display(string path) => path.Length == 0 ? "." : path.TrimStart('.');
}
