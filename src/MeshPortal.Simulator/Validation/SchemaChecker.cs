using System.Text.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation;

/// <summary>Structural-schema type checks with the API server's wording; collects errors.</summary>
internal sealed class SchemaChecker
{
    public List<FieldError> Errors { get; } = [];

    public void Add(FieldError error) => Errors.Add(error);

    public JsonArray? Array(JsonNode? node, string field, int maxItems = int.MaxValue)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray a)
        {
            TypeError(field, node, "array");
            return null;
        }

        if (a.Count > maxItems)
        {
            Errors.Add(new FieldError(field, "FieldValueTooMany", $"Too many: {a.Count}: must have at most {maxItems} items"));
        }

        return a;
    }

    public JsonObject? Object(JsonNode? node, string field)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject o)
        {
            TypeError(field, node, "object");
            return null;
        }

        return o;
    }

    public string? String(JsonNode? node, string field, int maxLength = int.MaxValue)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            TypeError(field, node, "string");
            return null;
        }

        var s = v.GetValue<string>();
        if (s.Length > maxLength)
        {
            Errors.Add(new FieldError(field, "FieldValueTooLong", $"Too long: may not be longer than {maxLength}"));
        }

        return s;
    }

    /// <summary>An integer; with a range, values outside it get the CEL message "port must be between 1-65535".</summary>
    public long? Integer(JsonNode? node, string field, long min = long.MinValue, long max = long.MaxValue, string? rangeMessage = null)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            TypeError(field, node, "integer");
            return null;
        }

        if (!JsonNumbers.TryGetInt64(v, out var n))
        {
            TypeError(field, node, "integer");
            return null;
        }

        if (n < min || n > max)
        {
            Errors.Add(FieldError.Invalid(field, "integer", rangeMessage ?? $"should be between {min} and {max}"));
        }

        return n;
    }

    public string? Enum(JsonNode? node, string field, IReadOnlyCollection<string> allowed)
    {
        var s = String(node, field);
        if (s is not null && !allowed.Contains(s))
        {
            Errors.Add(FieldError.NotSupported(field, s, allowed));
        }

        return s;
    }

    public void StringMap(JsonNode? node, string field)
    {
        if (Object(node, field) is { } map)
        {
            foreach (var (k, v) in map)
            {
                String(v, $"{field}.{k}");
            }
        }
    }

    public void UnknownFields(JsonObject obj, string field, IReadOnlySet<string> known, bool strict)
    {
        foreach (var key in obj.Select(p => p.Key).Where(k => !known.Contains(k)).ToList())
        {
            if (strict)
            {
                Errors.Add(new FieldError($"{field}.{key}", "FieldValueInvalid", "field not declared in schema"));
            }
            else
            {
                obj.Remove(key);
            }
        }
    }

    private void TypeError(string field, JsonNode node, string type)
    {
        var actual = node switch
        {
            JsonArray => "array",
            JsonObject => "object",
            JsonValue v => v.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            },
            _ => "null",
        };
        Errors.Add(FieldError.TypeInvalid(field, actual, $"{field} in body must be of type {type}: \"{actual}\""));
    }
}
