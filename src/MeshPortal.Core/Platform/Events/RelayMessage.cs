using System.Text.Json;

namespace MeshPortal.Core.Platform.Events;

/// <summary>
/// One "something changed" signal passed between replicas: which process raised it, which hub (cluster or probe) and
/// the cluster it is about. Small by design (PostgreSQL NOTIFY payloads must stay under 8,000 bytes).
/// </summary>
public sealed record RelayMessage(string Origin, string Kind, string Key)
{
    public const string ClusterKind = "cluster";
    public const string ProbeKind = "probe";
    public const int MaxPayloadBytes = 7900;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The payload, or null when it would not fit in a notification (then it is not relayed).</summary>
    public string? Format()
    {
        var payload = JsonSerializer.Serialize(new Wire(Origin, Kind, Key), Json);
        return System.Text.Encoding.UTF8.GetByteCount(payload) <= MaxPayloadBytes ? payload : null;
    }

    /// <summary>A message from another process, or null for own messages, unknown kinds and anything malformed.</summary>
    public static RelayMessage? FromOther(string payload, string self)
    {
        try
        {
            var wire = JsonSerializer.Deserialize<Wire>(payload, Json);
            return wire is { Origin.Length: > 0, Key.Length: > 0 } && wire.Origin != self && wire.Kind is ClusterKind or ProbeKind
                ? new RelayMessage(wire.Origin, wire.Kind, wire.Key)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Wire(string Origin, string Kind, string Key);
}
