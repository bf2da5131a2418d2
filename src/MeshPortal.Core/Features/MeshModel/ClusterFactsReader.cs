using System.Text.RegularExpressions;
using MeshPortal.Core.Platform.Kubernetes;
using k8s.Models;

namespace MeshPortal.Core.Features.MeshModel;

public enum GatewayAddressMode
{
    None,
    LoadBalancerIp,
    LoadBalancerHostname,
    ExternalIp,
    NodePort,
}

/// <summary>
/// Where other clusters reach this cluster's ingress gateway for cross-cluster (15443) traffic. In
/// <see cref="GatewayAddressMode.NodePort"/> mode <see cref="Address"/> is null until a node address is found.
/// </summary>
public sealed record GatewayEndpoint(GatewayAddressMode Mode, string? Address, int? Port, string? Problem = null);

/// <summary>Pure readers of cluster facts from Kubernetes objects (unit tested; no I/O).</summary>
public static partial class ClusterFactsReader
{
    public const int CrossClusterPort = 15443;

    /// <summary>
    /// The version in an image reference's tag: <c>docker.io/istio/pilot:1.6.8</c> → <c>1.6.8</c>,
    /// <c>…/pilot:1.9.0-distroless@sha256:…</c> → <c>1.9.0</c>. Null without a tag (digest only, or none).
    /// </summary>
    public static string? VersionFromImage(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
            return null;
        var name = image.Trim();
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
            name = name[..at];
        var lastSlash = name.LastIndexOf('/');
        var colon = name.LastIndexOf(':');
        if (colon <= lastSlash || colon == name.Length - 1)
            return null;
        var tag = name[(colon + 1)..];
        foreach (var suffix in new[] { "-distroless", "-debug" })
        {
            if (tag.EndsWith(suffix, StringComparison.Ordinal))
                tag = tag[..^suffix.Length];
        }
        return tag.Length == 0 ? null : tag;
    }

    /// <summary>The istiod container that carries the version: "discovery", else the first one.</summary>
    public static V1Container? DiscoveryContainer(V1Deployment deployment)
    {
        var containers = deployment.Spec?.Template?.Spec?.Containers;
        if (containers is null || containers.Count == 0)
            return null;
        return containers.FirstOrDefault(c => c.Name == "discovery") ?? containers[0];
    }

    /// <summary>
    /// Reads the gateway address: load-balancer IP, else its hostname, else spec.externalIPs[0] (all with port 15443), else the
    /// nodePort mapped to 15443 (the node address must then be found elsewhere, e.g. a gateway pod's status.hostIP).
    /// </summary>
    public static GatewayEndpoint ReadGateway(V1Service service)
    {
        var port = service.Spec?.Ports?.FirstOrDefault(p => p.Port == CrossClusterPort)
            ?? service.Spec?.Ports?.FirstOrDefault(p => p.Name == "tls" && p.Port != 443);
        if (port is null)
            return new(GatewayAddressMode.None, null, null,
                $"The service has no port {CrossClusterPort} (named 'tls'), which cross-cluster traffic uses.");

        var ingress = service.Status?.LoadBalancer?.Ingress?.FirstOrDefault(i => !string.IsNullOrEmpty(i.Ip) || !string.IsNullOrEmpty(i.Hostname));
        if (!string.IsNullOrEmpty(ingress?.Ip))
            return new(GatewayAddressMode.LoadBalancerIp, ingress.Ip, port.Port);
        if (!string.IsNullOrEmpty(ingress?.Hostname))
            return new(GatewayAddressMode.LoadBalancerHostname, ingress.Hostname, port.Port);
        if (service.Spec?.ExternalIPs?.FirstOrDefault(ip => !string.IsNullOrEmpty(ip)) is { } external)
            return new(GatewayAddressMode.ExternalIp, external, port.Port);
        if (port.NodePort is int nodePort and > 0)
            return new(GatewayAddressMode.NodePort, null, nodePort);
        return new(GatewayAddressMode.None, null, null,
            service.Spec?.Type == "LoadBalancer"
                ? "The service is of type LoadBalancer but has no load-balancer address yet, and no nodePort."
                : $"The service (type {service.Spec?.Type ?? "ClusterIP"}) has no load-balancer address, no external IP and no nodePort.");
    }

    /// <summary>A node address for nodePort mode: the first gateway pod's status.hostIP.</summary>
    public static string? NodeAddressFromPods(IEnumerable<V1Pod> pods) =>
        pods.Where(p => !string.IsNullOrEmpty(p.Status?.HostIP))
            .OrderByDescending(p => p.Status?.Phase == "Running")
            .Select(p => p.Status!.HostIP)
            .FirstOrDefault();

    /// <summary>True when the mesh config (data key "mesh" of istio-system/istio) sets defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE to "true".</summary>
    public static bool DnsCaptureInMeshConfig(string? meshYaml)
    {
        if (string.IsNullOrWhiteSpace(meshYaml))
            return false;
        try
        {
            var root = SafeYamlReader.Read(meshYaml) as YMap;
            var metadata = (root?.Get("defaultConfig") as YMap)?.Get("proxyMetadata") as YMap;
            return IsTrue(metadata?.Str("ISTIO_META_DNS_CAPTURE"));
        }
        catch (SafeYamlException)
        {
            return false;
        }
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses "1.6.8", "v1.18.6-gke.1", "1.8" into a <see cref="Version"/> (pre-release and build parts ignored).</summary>
    public static bool TryParseVersion(string? text, out Version version)
    {
        version = new Version(0, 0);
        var match = text is null ? null : VersionRegex().Match(text.Trim());
        if (match is null || !match.Success)
            return false;
        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var minor = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        var patch = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        version = new Version(major, minor, patch);
        return true;
    }

    /// <summary>Compares two versions; null when either cannot be parsed.</summary>
    public static int? CompareVersions(string? a, string? b) =>
        TryParseVersion(a, out var va) && TryParseVersion(b, out var vb) ? va.CompareTo(vb) : null;

    /// <summary>True when <paramref name="version"/> parses and is at least <paramref name="minimum"/> (e.g. "1.8").</summary>
    public static bool IsAtLeast(string? version, string minimum) => CompareVersions(version, minimum) >= 0;

    [GeneratedRegex(@"^v?(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?(?:[-+].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionRegex();
}
