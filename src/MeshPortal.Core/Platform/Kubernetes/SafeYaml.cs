using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshPortal.Core.Platform.Kubernetes;

internal abstract class YNode(Mark start)
{
    public Mark Start { get; } = start;
}

internal sealed class YScalar(Mark start, string value, ScalarStyle style) : YNode(start)
{
    public string Value { get; } = value;
    public ScalarStyle Style { get; } = style;
    public bool IsNull => Style is ScalarStyle.Plain or ScalarStyle.Any && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class YSeq(Mark start, List<YNode> items) : YNode(start)
{
    public List<YNode> Items { get; } = items;
}

internal sealed class YMap(Mark start, List<KeyValuePair<string, YNode>> entries) : YNode(start)
{
    public List<KeyValuePair<string, YNode>> Entries { get; } = entries;

    public YNode? Get(string key) => Entries.FirstOrDefault(e => e.Key == key).Value;

    /// <summary>The scalar value of <paramref name="key"/>, or null when absent, null or not a scalar.</summary>
    public string? Str(string key) => Get(key) is YScalar { IsNull: false } s ? s.Value : null;

    public bool Has(string key) => Get(key) is { } n && n is not YScalar { IsNull: true };
}

/// <summary>The problem found while reading YAML safely.</summary>
internal sealed class SafeYamlException(string code, string message, Mark? at) : Exception(message)
{
    public string Code { get; } = code;
    public Mark? At { get; } = at;
}

/// <summary>
/// Reads one YAML document into a small tree with the event parser. Aliases are refused (no expansion, so no
/// "billion laughs"), nesting depth is capped, duplicate keys and complex keys are refused.
/// </summary>
internal static class SafeYamlReader
{
    public const int DefaultMaxDepth = 32;

    /// <summary>Returns null for an empty stream. Throws <see cref="SafeYamlException"/>.</summary>
    public static YNode? Read(string text, int maxDepth = DefaultMaxDepth)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
                return null;
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, 1, maxDepth);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
                throw new SafeYamlException(KubeconfigErrorCodes.Malformed,
                    "The text holds more than one YAML document ('---'); paste a single kubeconfig.", parser.Current?.Start);
            return root;
        }
        catch (YamlException ex)
        {
            var msg = ex.Message.Contains("): ", StringComparison.Ordinal) ? ex.Message[(ex.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..] : ex.Message;
            throw new SafeYamlException(KubeconfigErrorCodes.Malformed, $"The YAML is malformed: {msg}", ex.Start);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's parser throws this (not a YamlException) for some broken flow collections, e.g. an unclosed '{'.
            throw new SafeYamlException(KubeconfigErrorCodes.Malformed,
                $"The YAML is malformed ({ex.Message}); check for an unclosed '{{' or '[' or a missing ':'.", null);
        }
    }

    private static YNode ReadNode(IParser parser, int depth, int maxDepth)
    {
        var current = parser.Current ?? throw new SafeYamlException(KubeconfigErrorCodes.Malformed, "Unexpected end of YAML.", null);
        switch (current)
        {
            case AnchorAlias alias:
                throw new SafeYamlException(KubeconfigErrorCodes.AliasRefused,
                    $"YAML aliases ('*{alias.Value}') are not accepted: a kubeconfig never needs them, and they can expand into huge documents. Write the values out in full.",
                    alias.Start);
            case Scalar scalar:
                parser.MoveNext();
                return new YScalar(scalar.Start, scalar.Value, scalar.Style);
        }

        if (depth > maxDepth)
            throw new SafeYamlException(KubeconfigErrorCodes.TooDeep,
                $"The YAML is nested more than {maxDepth} levels deep; a kubeconfig is much flatter.", current.Start);

        if (current is SequenceStart seqStart)
        {
            parser.MoveNext();
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
                items.Add(ReadNode(parser, depth + 1, maxDepth));
            return new YSeq(seqStart.Start, items);
        }

        if (current is MappingStart mapStart)
        {
            parser.MoveNext();
            var entries = new List<KeyValuePair<string, YNode>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = ReadNode(parser, depth + 1, maxDepth);
                if (keyNode is not YScalar key)
                    throw new SafeYamlException(KubeconfigErrorCodes.Malformed, "Mapping keys must be plain strings.", keyNode.Start);
                if (!seen.Add(key.Value))
                    throw new SafeYamlException(KubeconfigErrorCodes.Malformed, $"The key '{key.Value}' appears twice in the same mapping.", key.Start);
                entries.Add(new(key.Value, ReadNode(parser, depth + 1, maxDepth)));
            }
            return new YMap(mapStart.Start, entries);
        }

        throw new SafeYamlException(KubeconfigErrorCodes.Malformed, $"Unexpected YAML element {current.GetType().Name}.", current.Start);
    }
}

/// <summary>Writes a <see cref="YNode"/> tree back to YAML, keeping quoted scalars quoted.</summary>
internal static class SafeYamlWriter
{
    public static string Write(YNode root)
    {
        using var writer = new StringWriter();
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, root);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Emit(IEmitter emitter, YNode node)
    {
        switch (node)
        {
            case YScalar s:
                var style = s.Style is ScalarStyle.Plain ? ScalarStyle.Any : s.Style;
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, s.Value, style, s.Style is ScalarStyle.Plain or ScalarStyle.Any, s.Style is not (ScalarStyle.Plain or ScalarStyle.Any)));
                break;
            case YSeq q:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
                foreach (var item in q.Items)
                    Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case YMap m:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
                foreach (var (key, value) in m.Entries)
                {
                    emitter.Emit(new Scalar(key));
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
        }
    }

    public static YScalar Str(string value) => new(Mark.Empty, value, ScalarStyle.Any);
}
