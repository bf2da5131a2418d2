using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;
using MeshPortal.Simulator.Validation.Cel;

namespace MeshPortal.Simulator.Validation.Schemas;

/// <summary>
/// The CRD's <c>x-kubernetes-validations</c> rules (apiextensions <c>schema/cel</c>): each rule runs with <c>self</c> bound to
/// the value of its node; a false rule is <c>field.Invalid(path, type, message)</c>, e.g.
/// <c>spec.endpoints[0]: Invalid value: "object": UDS may not include ports</c>. Map values are addressed "ports[http]".
/// </summary>
internal static class CelValidation
{
    public static void Validate(JsonNode? value, StructuralSchema s, string path, List<FieldError> errors)
    {
        if (value is null || !s.HasRulesBelow || (s.Type is { } type && !SchemaValidator.Matches(SchemaValidator.KindOf(value), type)))
        {
            return;
        }

        if (s.Rules.Count > 0)
        {
            // Convert this subtree once; the rules below it read the converted values.
            ValidateValue(CelEvaluator.FromJson(value), s, path, errors);
            return;
        }

        switch (value)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    if (s.Properties?.GetValueOrDefault(key) is { } property)
                    {
                        Validate(child, property, path.Length == 0 ? key : $"{path}.{key}", errors);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        Validate(child, additional, $"{path}[{key}]", errors);
                    }
                }

                break;
            case JsonArray a when s.Items is { } items:
                for (var i = 0; i < a.Count; i++)
                {
                    Validate(a[i], items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    private static void ValidateValue(object? value, StructuralSchema s, string path, List<FieldError> errors)
    {
        if (value is null || !s.HasRulesBelow || (s.Type is { } type && !Matches(value, type)))
        {
            return;
        }

        if (s.Rules.Count > 0)
        {
            var self = new Dictionary<string, object?>(1) { ["self"] = value };
            foreach (var rule in s.Rules)
            {
                Run(rule, self, s, path, errors);
            }
        }

        switch (value)
        {
            case Dictionary<string, object?> map:
                foreach (var (key, child) in map)
                {
                    if (s.Properties?.GetValueOrDefault(key) is { } property)
                    {
                        ValidateValue(child, property, path.Length == 0 ? key : $"{path}.{key}", errors);
                    }
                    else if (s.AdditionalProperties is { } additional)
                    {
                        ValidateValue(child, additional, $"{path}[{key}]", errors);
                    }
                }

                break;
            case List<object?> list when s.Items is { } items:
                for (var i = 0; i < list.Count; i++)
                {
                    ValidateValue(list[i], items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    /// <summary>The CEL value has the schema's type (a mistyped value was already reported by the schema check).</summary>
    private static bool Matches(object value, string type) => type switch
    {
        "object" => value is Dictionary<string, object?>,
        "array" => value is List<object?>,
        "string" => value is string,
        "integer" => value is long,
        "number" => value is long or double,
        "boolean" => value is bool,
        _ => true,
    };

    private static void Run(CelRule rule, Dictionary<string, object?> self, StructuralSchema s, string path, List<FieldError> errors)
    {
        if (rule.Expression is null)
        {
            errors.Add(FieldError.Invalid(path, s.DisplayType, $"rule compile error: {rule.CompileError}"));
            return;
        }

        try
        {
            if (CelEvaluator.Evaluate(rule.Expression, self) is not true)
            {
                errors.Add(FieldError.Invalid(path, s.DisplayType, rule.Message));
            }
        }
        catch (Exception e) when (e is CelException or OverflowException or System.Text.RegularExpressions.RegexMatchTimeoutException or ArgumentException)
        {
            errors.Add(FieldError.Invalid(path, s.DisplayType, $"{e.Message} evaluating rule: {rule.Rule.Trim()}"));
        }
    }
}
