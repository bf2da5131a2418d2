using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Schemas;

/// <summary>
/// The CRD schemas one simulated cluster validates custom resources against: Istio's <c>crd-all.gen.yaml</c> of the release
/// the cluster runs (the exact tag when it is known, else the newest tag before it), plus the MCS CRDs. Loaded from the
/// embedded <c>istio-crd-schemas.json</c> once per process; each release's schemas are built on first use and shared.
/// </summary>
internal sealed class CrdSchemas
{
    private static readonly Lazy<JsonObject> Document = new(Load);
    private static readonly Dictionary<string, StructuralSchema> Nodes = [];
    private static readonly Dictionary<int, CrdSchemas> Releases = [];
    private static readonly Lock Gate = new();

    private readonly JsonObject _schemas;
    private readonly Dictionary<string, StructuralSchema?> _built = [];

    private CrdSchemas(JsonObject release, JsonObject mcs)
    {
        var tags = release["tags"]!.AsArray().Select(t => (string)t!).ToList();
        Tags = tags.Count == 1 ? tags[0] : $"{tags[0]}..{tags[^1]}";
        Source = (string?)release["source"] ?? "";
        _schemas = new JsonObject();
        foreach (var (key, value) in release["schemas"]!.AsObject().Concat(mcs["schemas"]!.AsObject()))
        {
            _schemas[key] = value?.DeepClone();
        }

        PreserveUnknownFieldsKinds = release["preserveUnknownFields"]!.AsArray().Select(k => (string)k!).ToHashSet(StringComparer.Ordinal);
        McsTag = (string)mcs["tag"]!;
    }

    /// <summary>The Istio tags whose CRDs these are ("1.24.0..1.24.3").</summary>
    public string Tags { get; }

    /// <summary>The CRD file in istio/istio they came from.</summary>
    public string Source { get; }

    /// <summary>The kubernetes-sigs/mcs-api tag of the MCS CRDs.</summary>
    public string McsTag { get; }

    /// <summary>Kinds whose CRD (apiextensions v1beta1) sets <c>preserveUnknownFields: true</c>: nothing is pruned.</summary>
    public IReadOnlySet<string> PreserveUnknownFieldsKinds { get; }

    public static CrdSchemas ForIstio(string istioVersion)
    {
        var releases = Document.Value["releases"]!.AsArray();
        var wanted = SimVersion.Parse(istioVersion);
        var index = 0;
        for (var i = 0; i < releases.Count; i++)
        {
            var tags = releases[i]!["tags"]!.AsArray().Select(t => SimVersion.Parse((string)t!)).ToList();
            if (tags[0] <= wanted)
            {
                index = i;
            }
        }

        lock (Gate)
        {
            if (!Releases.TryGetValue(index, out var schemas))
            {
                schemas = new CrdSchemas(releases[index]!.AsObject(), Document.Value["mcs"]!.AsObject());
                Releases[index] = schemas;
            }

            return schemas;
        }
    }

    /// <summary>The schema of kind/version ("ServiceEntry", "v1beta1"), or null when that CRD does not serve the version.</summary>
    public StructuralSchema? Get(string kind, string version)
    {
        var key = $"{kind}/{version}";
        lock (Gate)
        {
            if (!_built.TryGetValue(key, out var schema))
            {
                schema = _schemas[key] is { } node ? StructuralSchema.Build(node, Resolve, Nodes) : null;
                _built[key] = schema;
            }

            return schema;
        }
    }

    /// <summary>The schema of kind/version as plain OpenAPI JSON (references expanded), for the OpenAPI documents; null when not served.</summary>
    public JsonObject? RawSchema(string kind, string version) =>
        _schemas[$"{kind}/{version}"] is { } node ? Expand(node).AsObject() : null;

    private static JsonNode Expand(JsonNode node) => node switch
    {
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && ((string)v!).StartsWith('#') => Expand(Resolve(((string)v!)[1..])),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : (JsonNode?)Expand(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(x => x is null ? null : Expand(x))]),
        _ => node.DeepClone(),
    };

    private static JsonObject Resolve(string id) =>
        Document.Value["nodes"]![id] as JsonObject ?? throw new InvalidOperationException($"istio-crd-schemas.json has no node {id}");

    private static JsonObject Load()
    {
        using var stream = typeof(CrdSchemas).Assembly.GetManifestResourceStream("istio-crd-schemas.json")
            ?? throw new InvalidOperationException("The embedded istio-crd-schemas.json is missing.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
