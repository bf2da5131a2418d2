using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Api;

/// <summary>Reads numbers from JSON nodes whatever backs them (parsed JSON or CLR values of any numeric type).</summary>
internal static class JsonNumbers
{
    public static bool TryGetInt64(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        var text = v.ToJsonString();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e18)
        {
            value = (long)d;
            return true;
        }

        return false;
    }

    public static long? Int64(JsonNode? node) => TryGetInt64(node, out var v) ? v : null;

    /// <summary>Any JSON number as a double (NaN when the node is not a number).</summary>
    public static double Double(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number &&
        double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
}
