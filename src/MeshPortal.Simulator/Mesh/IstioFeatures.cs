using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// What a cluster's Istio installation does, read from its objects: DNS proxying (1.8+) and whether its
/// ingress gateway accepts <c>*.global</c> on the 15443 AUTO_PASSTHROUGH port.
/// </summary>
internal static class IstioFeatures
{
    public const string DnsCapture = "ISTIO_META_DNS_CAPTURE";
    public const string DnsAutoAllocate = "ISTIO_META_DNS_AUTO_ALLOCATE";

    public static SimVersion Version(IMeshClusterView cluster) => SimVersion.Parse(cluster.IstioVersion);

    /// <summary>
    /// True when the sidecar agent of <paramref name="pod"/> answers DNS itself: Istio 1.8 or later with
    /// <paramref name="flag"/> = "true" in the mesh config's <c>defaultConfig.proxyMetadata</c>, in an env var of the istiod
    /// deployment (the simulator's agreed marker), or in the pod's <c>proxy.istio.io/config</c> annotation.
    /// </summary>
    public static bool ProxyMetadataFlag(IMeshClusterView cluster, JsonObject? pod, string flag)
    {
        if (Version(cluster) < new SimVersion(1, 8))
        {
            return false;
        }

        var mesh = cluster.Get("", "configmaps", "istio-system", "istio").Str("data", "mesh");
        if (IsTrue(YamlPath(mesh, "defaultConfig", "proxyMetadata", flag)))
        {
            return true;
        }

        var annotation = pod.Str("metadata", "annotations", "proxy.istio.io/config");
        if (IsTrue(YamlPath(annotation, "proxyMetadata", flag)))
        {
            return true;
        }

        var istiod = cluster.Get("apps", "deployments", "istio-system", "istiod");
        return istiod.Objects("spec", "template", "spec", "containers")
            .SelectMany(c => c.Objects("env"))
            .Any(env => env.Str("name") == flag && IsTrue(env.Str("value")));
    }

    /// <summary>Reads a scalar at a path of mappings in a YAML document; null when absent or not YAML.</summary>
    public static string? YamlPath(string? yaml, params string[] path)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return null;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            YamlNode? node = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            foreach (var key in path)
            {
                node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
            }

            return (node as YamlScalarNode)?.Value;
        }
        catch (YamlException)
        {
            return null;
        }
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
