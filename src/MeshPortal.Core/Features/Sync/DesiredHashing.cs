using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Core.Features.Sync;

/// <summary>Stable hash of a desired object: SHA-256 of its canonical JSON (object keys sorted, no whitespace).</summary>
public static class DesiredHashing
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    /// <summary>The first 128 bits of the SHA-256, as 32 lowercase hex digits (called for every object on every push: no copies).</summary>
    public static string Hash(JsonNode? node)
    {
        var buffer = scratch ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, node);
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, digest);
        if (buffer.Capacity > 1 << 20)
        {
            scratch = null; // do not keep a huge buffer alive per thread after one big object
        }

        return Convert.ToHexStringLower(digest[..16]);
    }

    public static string Canonical(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, node);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                var properties = new KeyValuePair<string, JsonNode?>[obj.Count];
                var n = 0;
                foreach (var property in obj)
                {
                    properties[n++] = property;
                }

                Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
                foreach (var (key, value) in properties)
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
