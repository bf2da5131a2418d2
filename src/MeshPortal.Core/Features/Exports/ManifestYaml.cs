using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.EventEmitters;

namespace MeshPortal.Core.Features.Exports;

/// <summary>Renders a manifest as YAML, keys in their original order, for previews and diffs. Pure.</summary>
public static class ManifestYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().DisableAliases().WithEventEmitter(next => new LiteralMultiline(next)).Build();

    public static string Render(JsonNode? node) => node is null ? "" : Serializer.Serialize(ToPlain(node));

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.Aggregate(new Dictionary<string, object?>(), (d, p) => { d[p.Key] = ToPlain(p.Value); return d; }),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => long.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        },
        _ => null,
    };

    /// <summary>Multi-line strings (a Corefile) as literal blocks, so they read like the file they are.</summary>
    private sealed class LiteralMultiline(IEventEmitter next) : ChainedEventEmitter(next)
    {
        public override void Emit(ScalarEventInfo eventInfo, IEmitter emitter)
        {
            if (eventInfo.Source.Value is string text && text.Contains('\n', StringComparison.Ordinal))
            {
                eventInfo.Style = ScalarStyle.Literal;
            }

            base.Emit(eventInfo, emitter);
        }
    }
}
