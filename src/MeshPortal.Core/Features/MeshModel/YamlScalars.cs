using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.MeshModel;

/// <summary>Scalars at paths of mappings in a YAML document (the mesh config, a <c>proxy.istio.io/config</c> annotation), read safely.</summary>
internal sealed class YamlScalars
{
    private static readonly YamlScalars Empty = new(null);
    private readonly YNode? root;

    private YamlScalars(YNode? root) => this.root = root;

    /// <summary>An empty view for missing or unreadable YAML (nothing MeshPortal reads here is worth failing a check for).</summary>
    public static YamlScalars Read(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Empty;
        }

        try
        {
            return new YamlScalars(SafeYamlReader.Read(yaml));
        }
        catch (SafeYamlException)
        {
            return Empty;
        }
    }

    public string? Scalar(params string[] path)
    {
        var node = root;
        foreach (var key in path[..^1])
        {
            node = (node as YMap)?.Get(key);
        }

        return (node as YMap)?.Str(path[^1]);
    }
}
