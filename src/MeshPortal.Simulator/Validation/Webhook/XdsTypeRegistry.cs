using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// The protobuf types an istiod release resolves in an EnvoyFilter patch ("@type" of Any fields): the packages
/// <c>pkg/config/xds/filter_types.gen.go</c> links at that tag (transitively) and their messages, from the embedded
/// <c>xds-type-registry.json</c> (see <c>Validation/Schemas/extract_xds_types.py</c>). Loaded once per process.
/// </summary>
internal sealed class XdsTypeRegistry
{
    private static readonly Lazy<(List<(SimVersion First, HashSet<string> Types, string Tags)> Releases, HashSet<string> Frozen)> Data = new(Load);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, XdsTypeRegistry> Cache = new();

    private readonly HashSet<string> _types;

    private XdsTypeRegistry(HashSet<string> types, string tags)
    {
        _types = types;
        Tags = tags;
    }

    /// <summary>The Istio tags this registry was taken from.</summary>
    public string Tags { get; }

    public static XdsTypeRegistry For(SimVersion istio)
    {
        var releases = Data.Value.Releases;
        var index = 0;
        for (var i = 0; i < releases.Count; i++)
        {
            if (releases[i].First <= istio)
            {
                index = i;
            }
        }

        return Cache.GetOrAdd(index, i => new XdsTypeRegistry(releases[i].Types, releases[i].Tags));
    }

    /// <summary>Whether "type.googleapis.com/pkg.Message" names a message this release knows.</summary>
    public bool Resolves(string typeUrl) => _types.Contains(MessageName(typeUrl));

    /// <summary>Whether the type's package is annotated <c>package_version_status = FROZEN</c> (the v2 API).</summary>
    public static bool IsFrozen(string typeUrl)
    {
        var name = MessageName(typeUrl);
        return Data.Value.Frozen.Any(p => name.Length > p.Length + 1 && name.StartsWith(p + ".", StringComparison.Ordinal) && char.IsUpper(name[p.Length + 1]));
    }

    /// <summary>The message name after the last "/" (what Go's registry looks up).</summary>
    public static string MessageName(string typeUrl) => typeUrl[(typeUrl.LastIndexOf('/') + 1)..];

    private static (List<(SimVersion, HashSet<string>, string)>, HashSet<string>) Load()
    {
        using var stream = typeof(XdsTypeRegistry).Assembly.GetManifestResourceStream("xds-type-registry.json")
            ?? throw new InvalidOperationException("The embedded xds-type-registry.json is missing.");
        var doc = JsonNode.Parse(stream)!.AsObject();
        var packages = doc["packages"]!.AsArray().Select(p => (string)p!).ToList();
        var messages = doc["messages"]!.AsArray().Select(m => m!.AsArray().Select(x => (string)x!).ToList()).ToList();
        var releases = new List<(SimVersion, HashSet<string>, string)>();
        foreach (var release in doc["releases"]!.AsArray())
        {
            var tags = release!["tags"]!.AsArray().Select(t => (string)t!).ToList();
            var types = new HashSet<string>(StringComparer.Ordinal);
            foreach (var index in release["packages"]!.AsArray().Select(i => (int)i!))
            {
                foreach (var message in messages[index])
                {
                    types.Add($"{packages[index]}.{message}");
                }
            }

            releases.Add((SimVersion.Parse(tags[0]), types, tags.Count == 1 ? tags[0] : $"{tags[0]}..{tags[^1]}"));
        }

        var frozen = doc["frozen"]!.AsArray().Select(i => packages[(int)i!]).ToHashSet(StringComparer.Ordinal);
        return (releases, frozen);
    }
}
