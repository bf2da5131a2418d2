namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// The Istio protocol of a Kubernetes Service port, as Istio derives it: <c>appProtocol</c> when set, else the port name's
/// prefix before the first '-' (<c>http</c>, <c>http2</c>, <c>grpc</c>, <c>grpc-web</c>, <c>https</c>, <c>tls</c>, <c>tcp</c>,
/// <c>mongo</c>, <c>redis</c>, <c>mysql</c>, <c>udp</c>), case-insensitively. Unknown names are exported as TCP (a ServiceEntry
/// port needs an explicit protocol to be routed through the 15443 passthrough).
/// </summary>
public static class IstioProtocol
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["http"] = "HTTP",
        ["http2"] = "HTTP2",
        ["grpc"] = "GRPC",
        ["grpc-web"] = "GRPC-Web",
        ["https"] = "HTTPS",
        ["tls"] = "TLS",
        ["tcp"] = "TCP",
        ["udp"] = "UDP",
        ["mongo"] = "Mongo",
        ["redis"] = "Redis",
        ["mysql"] = "MySQL",
        ["http_proxy"] = "HTTP_PROXY",
        ["kubernetes.io/h2c"] = "HTTP2",
        ["kubernetes.io/ws"] = "HTTP",
        ["kubernetes.io/wss"] = "HTTPS",
    };

    /// <summary>The protocol for a port; <paramref name="transport"/> is the Service port's protocol (TCP, UDP, SCTP).</summary>
    public static string Of(string? portName, string? appProtocol, string? transport = "TCP")
    {
        if (string.Equals(transport, "UDP", StringComparison.OrdinalIgnoreCase))
        {
            return "UDP";
        }

        if (!string.IsNullOrWhiteSpace(appProtocol) && Known.TryGetValue(appProtocol.Trim(), out var fromApp))
        {
            return fromApp;
        }

        var name = portName?.Trim() ?? "";
        if (Known.TryGetValue(name, out var whole))
        {
            return whole;
        }

        var dash = name.IndexOf('-', StringComparison.Ordinal);
        var prefix = dash > 0 ? name[..dash] : name;
        return Known.TryGetValue(prefix, out var fromName) ? fromName : "TCP";
    }
}
