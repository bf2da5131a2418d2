using MeshPortal.Core.Platform.Kubernetes;
using YamlDotNet.Core;

namespace MeshPortal.Core.Features.Exports;

/// <summary>The outcome of editing a mesh config: the new text (null: leave it alone) and why not, in words.</summary>
public sealed record MeshConfigEdit(string? Mesh, string? ServiceSettings, string? Problem);

/// <summary>
/// Edits <c>serviceSettings</c> inside the mesh config text (the <c>mesh</c> key of istiod's <c>istio</c> ConfigMap) and nothing
/// else: every other key, and the quoting of every scalar (<c>ISTIO_META_DNS_CAPTURE: "true"</c> must stay a string), is kept as the
/// install wrote it. The list MeshPortal writes is <c>[{clusterLocal: true, hosts: ["*"]}, {clusterLocal: false, hosts: exported}]</c>
/// (istio.io "Multicluster traffic management": make everything cluster-local, then list the global hosts; the most specific
/// host wins, <c>pilot/pkg/model/cluster_local.go</c>@1.24.0). Pure.
/// </summary>
public static class MeshConfigEditor
{
    public const string Key = "serviceSettings";

    /// <summary>
    /// The mesh config with MeshPortal's serviceSettings. <paramref name="ours"/> is the serviceSettings text MeshPortal wrote last
    /// (its annotation): a live serviceSettings that differs from it belongs to the install, and the text is left alone.
    /// </summary>
    public static MeshConfigEdit With(string? mesh, string? ours, IReadOnlyList<string> globalHosts)
    {
        if (Read(mesh) is not { } map)
        {
            return new MeshConfigEdit(null, null, "its mesh config is not a YAML mapping MeshPortal can edit safely");
        }

        if (map.Get(Key) is { } existing && existing is not YScalar { IsNull: true } && SafeYamlWriter.Write(existing) != ours)
        {
            return new MeshConfigEdit(null, null, "its mesh config already has serviceSettings that MeshPortal did not write (the install's)");
        }

        var settings = new YSeq(Mark.Empty,
        [
            Entry(true, ["*"]),
            .. globalHosts.Count == 0 ? Array.Empty<YNode>() : [Entry(false, [.. globalHosts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)])],
        ]);
        var entries = map.Entries.Where(e => e.Key != Key).ToList();
        entries.Add(new(Key, settings));
        return new MeshConfigEdit(SafeYamlWriter.Write(new YMap(Mark.Empty, entries)), SafeYamlWriter.Write(settings), null);
    }

    /// <summary>The mesh config without the serviceSettings MeshPortal wrote; null when there is nothing of MeshPortal's to remove.</summary>
    public static MeshConfigEdit Without(string? mesh, string? ours)
    {
        if (ours is null || Read(mesh) is not { } map || map.Get(Key) is not { } existing || SafeYamlWriter.Write(existing) != ours)
        {
            return new MeshConfigEdit(null, null, null);
        }

        return new MeshConfigEdit(SafeYamlWriter.Write(new YMap(Mark.Empty, [.. map.Entries.Where(e => e.Key != Key)])), null, null);
    }

    private static YMap? Read(string? mesh)
    {
        try
        {
            return string.IsNullOrWhiteSpace(mesh) ? new YMap(Mark.Empty, []) : SafeYamlReader.Read(mesh) as YMap;
        }
        catch (SafeYamlException)
        {
            return null;
        }
    }

    private static YMap Entry(bool clusterLocal, IReadOnlyList<string> hosts) => new(Mark.Empty,
    [
        new("settings", new YMap(Mark.Empty, [new("clusterLocal", new YScalar(Mark.Empty, clusterLocal ? "true" : "false", ScalarStyle.Plain))])),
        new("hosts", new YSeq(Mark.Empty, [.. hosts.Select(h => (YNode)new YScalar(Mark.Empty, h, ScalarStyle.Plain))])),
    ]);
}
