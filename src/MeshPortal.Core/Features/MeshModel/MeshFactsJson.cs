using System.Text.Json;

namespace MeshPortal.Core.Features.MeshModel;

/// <summary>How <see cref="MeshFacts"/> is stored on a cluster (one JSON column, read back leniently: unreadable = unknown).</summary>
public static class MeshFactsJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(MeshFacts facts) => JsonSerializer.Serialize(facts, Options);

    public static MeshFacts? Deserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<MeshFacts>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
