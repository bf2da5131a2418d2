using System.Text.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// Reads a spec the way istiod sees it after decoding JSON into the proto: absent fields are zero values ("", 0, false,
/// the first enum value), so the rules read like the Go code they port.
/// </summary>
internal static class SpecJson
{
    public static string Str(this JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string)v! : "";

    public static long Num(this JsonObject? o, string key) => JsonNumbers.Int64(o?[key]) ?? 0;

    public static bool Flag(this JsonObject? o, string key) => o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static bool Has(this JsonObject? o, string key) => o?[key] is not null;

    public static JsonObject? Obj(this JsonObject? o, string key) => o?[key] as JsonObject;

    public static IReadOnlyList<JsonObject> Objects(this JsonObject? o, string key) =>
        o?[key] is JsonArray a ? [.. a.OfType<JsonObject>()] : [];

    public static IReadOnlyList<string> Strings(this JsonObject? o, string key) =>
        o?[key] is JsonArray a ? [.. a.Select(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string)v! : "")] : [];

    /// <summary>A map&lt;string,string&gt; field, in key order (Go ranges maps randomly; sorted keeps messages stable).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> StringMap(this JsonObject? o, string key) =>
        o?[key] is JsonObject m ? [.. m.Select(p => KeyValuePair.Create(p.Key, p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? (string)v! : ""))
            .OrderBy(p => p.Key, StringComparer.Ordinal)] : [];

    /// <summary>A google.protobuf wrapper (UInt32Value, BoolValue) field: its value, or null when unset.</summary>
    public static long? Wrapped(this JsonObject? o, string key) => JsonNumbers.Int64(o?[key]);

    public static int Count(this JsonObject? o, string key) => o?[key] is JsonArray a ? a.Count : o?[key] is JsonObject m ? m.Count : 0;
}
