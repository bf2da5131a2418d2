using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// Reads YAML documents Istio keeps in strings (the <c>istio</c> ConfigMap's <c>mesh</c> and <c>meshNetworks</c>, the
/// <c>proxy.istio.io/config</c> annotation) as JSON. Unparsable YAML reads as empty, as istiod keeps its defaults for a bad mesh config.
/// Parsed documents are cached by their text.
/// </summary>
internal static class MeshConfigYaml
{
    private static readonly ConcurrentDictionary<string, JsonNode?> Cache = new(StringComparer.Ordinal);

    public static JsonNode? Parse(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return null;
        }

        if (Cache.Count > 4096)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd(yaml, text =>
        {
            try
            {
                return YamlJson.Parse(text);
            }
            catch (ApiException)
            {
                return null;
            }
        });
    }

    /// <summary>The string entries of a mapping at a path (e.g. defaultConfig.proxyMetadata).</summary>
    public static IReadOnlyDictionary<string, string> Map(string? yaml, params string[] path) => Parse(yaml).Map(path);

    public static string? Scalar(string? yaml, params string[] path) => Parse(yaml).Str(path);
}
