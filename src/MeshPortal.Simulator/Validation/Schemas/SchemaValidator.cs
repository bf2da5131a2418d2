using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation.Schemas;

/// <summary>
/// OpenAPI v3 validation of a custom resource against its CRD schema, as the API server does it (kube-openapi
/// <c>validate</c>, errors converted by apiextensions' <c>kubeOpenAPIResultToFieldErrors</c>): type, enum, required,
/// bounds, lengths, item counts, pattern, oneOf/anyOf/allOf/not. Paths read "spec.ports[0].number"; map values "spec.labels.app".
/// </summary>
internal static class SchemaValidator
{
    public static List<FieldError> Validate(JsonObject obj, StructuralSchema root)
    {
        var errors = new List<FieldError>();
        Check(obj, root, "", errors);
        return errors;
    }

    private static void Check(JsonNode? value, StructuralSchema s, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            if (!s.Nullable && s.Type is not null)
            {
                errors.Add(TypeError(path, "null", s.Type));
            }

            return;
        }

        var kind = KindOf(value);
        if (!s.IntOrString && s.Type is not null && !Matches(kind, s.Type))
        {
            errors.Add(TypeError(path, kind, s.Type));
            return;
        }

        Composition(value, s, path, errors);
        if (s.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(FieldError.NotSupported(path, GoFormat.Value(value), allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? (string)v! : a?.ToJsonString() ?? "null")));
        }

        switch (value)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                StringBounds((string)v!, s, path, errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                NumberBounds(v, s, path, errors);
                break;
            case JsonArray a:
                if (s.MaxItems is { } maxItems && a.Count > maxItems)
                {
                    errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {a.Count}: must have at most {maxItems} items"));
                }

                if (s.MinItems is { } minItems && a.Count < minItems)
                {
                    errors.Add(FieldError.Invalid(path, a.Count, $"{path} in body should have at least {minItems} items"));
                }

                if (s.Items is { } items)
                {
                    for (var i = 0; i < a.Count; i++)
                    {
                        Check(a[i], items, $"{path}[{i}]", errors);
                    }
                }

                break;
            case JsonObject o:
                ObjectRules(o, s, path, errors);
                break;
        }
    }

    private static void ObjectRules(JsonObject o, StructuralSchema s, string path, List<FieldError> errors)
    {
        if (s.MaxProperties is { } max && o.Count > max)
        {
            errors.Add(new FieldError(path, "FieldValueTooMany", $"Too many: {o.Count}: must have at most {max} items"));
        }

        if (s.MinProperties is { } min && o.Count < min)
        {
            errors.Add(FieldError.Invalid(path, o.Count, $"{path} in body should have at least {min} properties"));
        }

        foreach (var name in s.Required)
        {
            if (!o.ContainsKey(name))
            {
                errors.Add(FieldError.Required(Join(path, name)));
            }
        }

        foreach (var (key, child) in o)
        {
            var childSchema = s.Properties?.GetValueOrDefault(key) ?? s.AdditionalProperties;
            if (childSchema is not null)
            {
                Check(child, childSchema, Join(path, key), errors);
            }
        }
    }

    private static void Composition(JsonNode value, StructuralSchema s, string path, List<FieldError> errors)
    {
        if (s.AnyOf is { } anyOf && !anyOf.Any(b => Valid(value, b, path)))
        {
            errors.Add(Composite($"\"{path}\" must validate at least one schema (anyOf)"));
        }

        if (s.OneOf is { } oneOf)
        {
            var valid = oneOf.Count(b => Valid(value, b, path));
            if (valid != 1)
            {
                errors.Add(Composite($"\"{path}\" must validate one and only one schema (oneOf). " +
                    (valid == 0 ? "Found none valid" : $"Found {valid} valid alternatives")));
            }
        }

        if (s.AllOf is { } allOf)
        {
            var valid = allOf.Count(b => Valid(value, b, path));
            if (valid != allOf.Count)
            {
                errors.Add(Composite($"\"{path}\" must validate all the schemas (allOf){(valid == 0 ? ". None validated" : "")}"));
            }
        }

        if (s.Not is { } not && Valid(value, not, path))
        {
            errors.Add(Composite($"\"{path}\" must not validate the schema (not)"));
        }
    }

    private static bool Valid(JsonNode value, StructuralSchema branch, string path)
    {
        var scratch = new List<FieldError>();
        Check(value, branch, path, scratch);
        return scratch.Count == 0;
    }

    /// <summary>kube-openapi's composite errors carry no field: apiextensions reports them on the nil path.</summary>
    private static FieldError Composite(string message) => FieldError.Invalid("<nil>", "", message);

    private static void StringBounds(string text, StructuralSchema s, string path, List<FieldError> errors)
    {
        var length = new StringInfo(text).LengthInTextElements;
        if (s.MaxLength is { } max && length > max)
        {
            errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be longer than {max}"));
        }

        if (s.MinLength is { } min && length < min)
        {
            errors.Add(FieldError.Invalid(path, text, $"{path} in body should be at least {min} chars long"));
        }

        if (s.PatternRegex is { } re && !re.IsMatch(text))
        {
            errors.Add(FieldError.Invalid(path, text, $"{path} in body should match '{s.Pattern}'"));
        }
    }

    private static void NumberBounds(JsonValue v, StructuralSchema s, string path, List<FieldError> errors)
    {
        var n = JsonNumbers.Double(v);
        var shown = GoFormat.Value(v);
        if (s.Maximum is { } max && (s.ExclusiveMaximum ? n >= max : n > max))
        {
            errors.Add(FieldError.Invalid(path, shown,
                $"{path} in body should be less than {(s.ExclusiveMaximum ? "" : "or equal to ")}{GoFormat.Float(max)}"));
        }

        if (s.Minimum is { } min && (s.ExclusiveMinimum ? n <= min : n < min))
        {
            errors.Add(FieldError.Invalid(path, shown,
                $"{path} in body should be greater than {(s.ExclusiveMinimum ? "" : "or equal to ")}{GoFormat.Float(min)}"));
        }
    }

    private static FieldError TypeError(string path, string actual, string type) =>
        FieldError.TypeInvalid(path, actual, $"{path} in body must be of type {type}: \"{actual}\"");

    /// <summary>JSON kind as OpenAPI names it; integral numbers are "integer".</summary>
    public static string KindOf(JsonNode? node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => JsonNumbers.TryGetInt64(v, out _) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };

    public static bool Matches(string kind, string type) => kind == type || (type == "number" && kind == "integer");

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
