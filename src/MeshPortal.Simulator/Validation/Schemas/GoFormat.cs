using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Schemas;

/// <summary>Values printed the way Go's <c>%v</c> prints them in the API server's messages.</summary>
internal static class GoFormat
{
    /// <summary>Go's <c>%v</c> of a float64: shortest form, exponent notation from 1e+06 (<c>strconv 'g'</c> with shortest precision).</summary>
    public static string Float(double value)
    {
        if (value == Math.Floor(value) && Math.Abs(value) < 1e6)
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = value == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (exponent < -4 || exponent >= 21 || (exponent >= 6 && !r.Contains('E')))
        {
            var mantissa = value / Math.Pow(10, exponent);
            var m = mantissa.ToString("R", CultureInfo.InvariantCulture);
            return $"{m}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }

        return r;
    }

    /// <summary>A JSON scalar as the API server's <c>field.Invalid</c> prints a bad value (strings quoted, numbers bare).</summary>
    public static object? Value(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => new RawValue(v.ToJsonString()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new RawValue(v.ToJsonString()),
        null => new RawValue("null"),
        _ => node,
    };

    /// <summary>A value printed as is (no quotes).</summary>
    internal sealed record RawValue(string Text)
    {
        public override string ToString() => Text;
    }
}
