using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MeshPortal.Simulator.Validation.Cel;

namespace MeshPortal.Simulator.Validation.Schemas;

/// <summary>
/// One node of a CRD's <c>openAPIV3Schema</c>: the keywords Istio's and the MCS API's CRDs use (type, properties, items,
/// additionalProperties, required, enum, bounds, pattern, oneOf/anyOf/allOf/not, nullable, x-kubernetes-* extensions).
/// Immutable once built and shared by every cluster of the same release.
/// </summary>
internal sealed class StructuralSchema
{
    public string? Type { get; private init; }

    public bool Nullable { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool IntOrString { get; private init; }

    public IReadOnlyDictionary<string, StructuralSchema>? Properties { get; private init; }

    public StructuralSchema? Items { get; private init; }

    public StructuralSchema? AdditionalProperties { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    public IReadOnlyList<JsonNode?>? Enum { get; private init; }

    public double? Minimum { get; private init; }

    public double? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    public string? Pattern { get; private init; }

    public Regex? PatternRegex { get; private init; }

    public IReadOnlyList<StructuralSchema>? OneOf { get; private init; }

    public IReadOnlyList<StructuralSchema>? AnyOf { get; private init; }

    public IReadOnlyList<StructuralSchema>? AllOf { get; private init; }

    public StructuralSchema? Not { get; private init; }

    public IReadOnlyList<CelRule> Rules { get; private init; } = [];

    /// <summary>Whether this node or any below it carries a CEL rule (lets validation skip rule-free subtrees).</summary>
    public bool HasRulesBelow { get; private init; }

    /// <summary>The type as Kubernetes' CEL errors print it ("object", "string", ...).</summary>
    public string DisplayType => Type ?? (IntOrString ? "integer-or-string" : "object");

    /// <summary>Builds the node; <paramref name="resolve"/> turns a "#id" reference into its node, <paramref name="cache"/> shares them.</summary>
    public static StructuralSchema Build(JsonNode node, Func<string, JsonObject> resolve, Dictionary<string, StructuralSchema> cache)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && ((string)v!).StartsWith('#'))
        {
            var id = ((string)v!)[1..];
            if (!cache.TryGetValue(id, out var shared))
            {
                shared = Build(resolve(id), resolve, cache);
                cache[id] = shared;
            }

            return shared;
        }

        // Any JSON object in the file may be stored once and referenced as "#id" (the properties map, CEL rule entries too).
        JsonObject? Deref(JsonNode? n) => n is JsonObject obj ? obj : IsRef(n) ? resolve(((string)n!)[1..]) : null;
        var o = node.AsObject();
        StructuralSchema? Child(string key) => o[key] is { } c && (c is JsonObject || IsRef(c)) ? Build(c, resolve, cache) : null;
        IReadOnlyList<StructuralSchema>? Many(string key) => o[key] is JsonArray a ? [.. a.Select(x => Build(x!, resolve, cache))] : null;

        var properties = Deref(o["properties"]) is { } props
            ? props.ToDictionary(p => p.Key, p => Build(p.Value!, resolve, cache))
            : null;
        List<CelRule> rules = o["x-kubernetes-validations"] is JsonArray r
            ? [.. r.Select(Deref).OfType<JsonObject>().Select(x => new CelRule((string)x["rule"]!, (string?)x["message"]))]
            : [];
        var items = Child("items");
        var additional = Child("additionalProperties");
        return new StructuralSchema
        {
            Type = (string?)o["type"],
            Nullable = IsTrue(o["nullable"]),
            PreserveUnknownFields = IsTrue(o["x-kubernetes-preserve-unknown-fields"]),
            IntOrString = IsTrue(o["x-kubernetes-int-or-string"]),
            Properties = properties,
            Items = items,
            AdditionalProperties = additional,
            Required = o["required"] is JsonArray req ? [.. req.Select(x => (string)x!)] : [],
            Enum = o["enum"] is JsonArray e ? [.. e.Select(x => x?.DeepClone())] : null,
            Minimum = Number(o["minimum"]),
            Maximum = Number(o["maximum"]),
            ExclusiveMinimum = IsTrue(o["exclusiveMinimum"]),
            ExclusiveMaximum = IsTrue(o["exclusiveMaximum"]),
            MinLength = Long(o["minLength"]),
            MaxLength = Long(o["maxLength"]),
            MinItems = Long(o["minItems"]),
            MaxItems = Long(o["maxItems"]),
            MinProperties = Long(o["minProperties"]),
            MaxProperties = Long(o["maxProperties"]),
            Pattern = (string?)o["pattern"],
            PatternRegex = o["pattern"] is JsonValue pat ? new Regex((string)pat!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null,
            OneOf = Many("oneOf"),
            AnyOf = Many("anyOf"),
            AllOf = Many("allOf"),
            Not = Child("not"),
            Rules = rules,
            HasRulesBelow = rules.Count > 0 || (properties?.Values.Any(p => p.HasRulesBelow) ?? false) || (items?.HasRulesBelow ?? false) ||
                            (additional?.HasRulesBelow ?? false),
        };
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static bool IsRef(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && ((string)v!).StartsWith('#');

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    private static long? Long(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? (long)Number(v)! : null;
}

/// <summary>One <c>x-kubernetes-validations</c> entry; the expression is parsed on first use and kept.</summary>
internal sealed class CelRule(string rule, string? message)
{
    private readonly Lazy<(CelExpr? Expr, string? Error)> _compiled = new(() =>
    {
        try
        {
            return (CelParser.Parse(rule), null);
        }
        catch (CelException e)
        {
            return (null, e.Message);
        }
    });

    public string Rule { get; } = rule;

    /// <summary>What the API server reports when the rule is false (Kubernetes' ruleMessageOrDefault).</summary>
    public string Message { get; } = string.IsNullOrWhiteSpace(message) ? $"failed rule: {rule.Trim()}" : message.Trim();

    public CelExpr? Expression => _compiled.Value.Expr;

    public string? CompileError => _compiled.Value.Error;
}
