using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Schemas;

/// <summary>
/// What the API server does with fields a structural CRD schema does not declare. On create/update/patch they are pruned
/// (apiextensions <c>structural/pruning</c>) and, with <c>fieldValidation=Strict</c> or <c>Warn</c>, reported as
/// <c>unknown field "spec.foo"</c>. On server-side apply the applied configuration is first converted to a typed value
/// (structured-merge-diff), which refuses them as <c>.spec.foo: field not declared in schema</c>.
/// Nulls of non-nullable fields are dropped before validation (<c>PruneNonNullableNullsWithoutDefaults</c>).
/// </summary>
internal static class UnknownFields
{
    private static readonly HashSet<string> RootMeta = ["apiVersion", "kind", "metadata"];

    /// <summary>Removes undeclared fields and non-nullable nulls in place; returns the removed fields' paths.</summary>
    public static List<string> Prune(JsonObject obj, StructuralSchema root)
    {
        var removed = new List<string>();
        PruneObject(obj, root, "", removed, isRoot: true);
        return removed;
    }

    /// <summary>
    /// Fields a proto decoder would not know: keys missing from a node that declares properties (an object without
    /// declared properties is a free-form google.protobuf.Struct). Used where the CRD preserves unknown fields.
    /// </summary>
    public static List<string> UndeclaredInMessages(JsonObject obj, StructuralSchema root)
    {
        var found = new List<string>();
        Undeclared(obj["spec"], root.Properties?.GetValueOrDefault("spec"), "", found);
        return found;
    }

    private static void Undeclared(JsonNode? value, StructuralSchema? s, string path, List<string> found)
    {
        switch (value)
        {
            case JsonObject o when s?.Properties is { } properties:
                foreach (var (key, child) in o)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    if (properties.TryGetValue(key, out var childSchema))
                    {
                        Undeclared(child, childSchema, childPath, found);
                    }
                    else
                    {
                        found.Add(childPath);
                    }
                }

                break;
            case JsonObject o when s?.AdditionalProperties is { } additional:
                foreach (var (key, child) in o)
                {
                    Undeclared(child, additional, path.Length == 0 ? key : $"{path}.{key}", found);
                }

                break;
            case JsonArray a when s?.Items is { } items:
                for (var i = 0; i < a.Count; i++)
                {
                    Undeclared(a[i], items, $"{path}[{i}]", found);
                }

                break;
        }
    }

    /// <summary>structured-merge-diff's errors for an applied configuration, in its wording; empty when it converts.</summary>
    public static List<string> TypedErrors(JsonObject applied, StructuralSchema root)
    {
        var errors = new List<string>();
        Typed(applied, root, "", errors, isRoot: true);
        return errors;
    }

    private static void PruneObject(JsonObject obj, StructuralSchema s, string path, List<string> removed, bool isRoot = false)
    {
        foreach (var (key, child) in obj.ToList())
        {
            if (isRoot && RootMeta.Contains(key))
            {
                continue;
            }

            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            var childSchema = s.Properties?.GetValueOrDefault(key) ?? s.AdditionalProperties;
            if (childSchema is null)
            {
                if (!s.PreserveUnknownFields)
                {
                    obj.Remove(key);
                    removed.Add(childPath);
                }

                continue;
            }

            if (child is null && !childSchema.Nullable)
            {
                obj.Remove(key);
                continue;
            }

            PruneValue(child, childSchema, childPath, removed);
        }
    }

    private static void PruneValue(JsonNode? value, StructuralSchema s, string path, List<string> removed)
    {
        switch (value)
        {
            case JsonObject o when s.Type is "object" or null:
                if (s.Properties is not null || s.AdditionalProperties is not null || !s.PreserveUnknownFields)
                {
                    PruneObject(o, s, path, removed);
                }

                break;
            case JsonArray a when s.Items is { } items:
                for (var i = 0; i < a.Count; i++)
                {
                    PruneValue(a[i], items, $"{path}[{i}]", removed);
                }

                break;
        }
    }

    private static void Typed(JsonNode? value, StructuralSchema s, string path, List<string> errors, bool isRoot = false)
    {
        if (value is null || s.PreserveUnknownFields && s.Properties is null || s.IntOrString)
        {
            return;
        }

        switch (s.Type)
        {
            case "object" or null when s.Properties is not null || s.AdditionalProperties is not null:
                if (value is not JsonObject o)
                {
                    errors.Add($"{path}: expected map, got {GoValue(value)}");
                    return;
                }

                foreach (var (key, child) in o)
                {
                    var childSchema = s.Properties?.GetValueOrDefault(key) ?? s.AdditionalProperties;
                    if (childSchema is null)
                    {
                        if ((isRoot && RootMeta.Contains(key)) || s.PreserveUnknownFields)
                        {
                            continue;
                        }

                        // structured-merge-diff stops walking a map at its first undeclared field.
                        errors.Add($"{path}.{key}: field not declared in schema");
                        break;
                    }

                    Typed(child, childSchema, $"{path}.{key}", errors);
                }

                break;
            case "array":
                if (value is not JsonArray a)
                {
                    errors.Add($"{path}: expected list, got {GoValue(value)}");
                    return;
                }

                for (var i = 0; i < a.Count; i++)
                {
                    if (s.Items is { } items)
                    {
                        Typed(a[i], items, $"{path}[{i}]", errors);
                    }
                }

                break;
            case "string" when SchemaValidator.KindOf(value) != "string":
                errors.Add($"{path}: expected string, got &value.valueUnstructured{{Value:{GoValue(value)}}}");
                break;
            case "integer" or "number" when SchemaValidator.KindOf(value) is not ("integer" or "number"):
                errors.Add($"{path}: expected numeric (int or float), got {GoType(value)}");
                break;
            case "boolean" when SchemaValidator.KindOf(value) != "boolean":
                errors.Add($"{path}: expected boolean, got &{{{GoValue(value)}}}");
                break;
        }
    }

    /// <summary>structured-merge-diff's <c>ValidationErrors.Error()</c>: one error, or "errors:" and one indented line each.</summary>
    public static string Join(IReadOnlyList<string> errors) =>
        errors.Count == 1 ? errors[0] : "errors:\n" + string.Join("\n", errors.Select(e => "  " + e));

    private static string GoValue(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"\"{(string)v!}\"",
        JsonObject o => "map[" + string.Join(" ", o.Select(p => $"{p.Key}:{GoValue(p.Value)}")) + "]",
        JsonArray a => "[" + string.Join(" ", a.Select(GoValue)) + "]",
        null => "<nil>",
        _ => node.ToJsonString(),
    };

    private static string GoType(JsonNode? node) => SchemaValidator.KindOf(node) switch
    {
        "string" => "string",
        "boolean" => "bool",
        "object" => "map[string]interface {}",
        "array" => "[]interface {}",
        _ => "<nil>",
    };
}
