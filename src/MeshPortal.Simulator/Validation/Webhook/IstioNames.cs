using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's name, host, address and label checks (<c>pkg/config/validation/agent/validation.go</c>,
/// <c>pkg/config/labels/instance.go</c>, <c>pkg/config/protocol/instance.go</c> at 1.24.0; the same checks live in
/// <c>pkg/config/validation/validation.go</c> at 1.6.8), worded like istiod. Each returns the error text or null.
/// </summary>
internal static partial class IstioNames
{
    public const string UnixAddressPrefix = "unix://";

    public static string? ValidatePort(long port) => port is >= 1 and <= 65535 ? null : $"port number {port} must be in the range 1..65535";

    public static bool IsDns1123Label(string value) => value.Length <= 63 && Dns1123Label().IsMatch(value);

    public static bool IsWildcardDns1123Label(string value) => value.Length <= 63 && WildcardPrefix().IsMatch(value);

    private static string? Dns1123Preconditions(string name) =>
        name.Length > 255 ? $"domain name \"{name}\" too long (max 255)" : name.Length == 0 ? "empty domain name not allowed" : null;

    public static string? ValidateDns1123Labels(string domain)
    {
        var parts = domain.Split('.');
        var top = parts[^1];
        if (long.TryParse(top, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return $"domain name \"{domain}\" invalid (top level domain \"{top}\" cannot be all-numeric)";
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (i == parts.Length - 1 && parts[i].Length == 0)
            {
                return null;
            }

            if (!IsDns1123Label(parts[i]))
            {
                return $"domain name \"{domain}\" invalid (label \"{parts[i]}\" invalid)";
            }
        }

        return null;
    }

    public static string? ValidateFqdn(string fqdn) => Dns1123Preconditions(fqdn) ?? ValidateDns1123Labels(fqdn);

    /// <summary>A domain whose first label may be a wildcard ("*", "*.example.com", "*-foo.example.com").</summary>
    public static string? ValidateWildcardDomain(string domain)
    {
        if (Dns1123Preconditions(domain) is { } pre)
        {
            return pre;
        }

        var parts = domain.Split('.', 2);
        if (!IsWildcardDns1123Label(parts[0]))
        {
            return $"domain name \"{domain}\" invalid (label \"{parts[0]}\" invalid)";
        }

        return parts.Length > 1 ? ValidateDns1123Labels(parts[1]) : null;
    }

    public static string? ValidatePartialWildcard(string host) =>
        host.Contains('*') && host.Length != 1 && !host.StartsWith("*.", StringComparison.Ordinal) ? $"partial wildcard \"{host}\" not allowed" : null;

    /// <summary>Go's <c>net.ParseIP</c> / <c>netip.ParseAddr</c>: strict dotted quad (no leading zeros) or IPv6.</summary>
    public static bool IsIp(string s)
    {
        if (s.Contains(':'))
        {
            return !s.Contains('%') && IPAddress.TryParse(s, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = s.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255);
    }

    public static string? ValidateIpAddress(string addr) => IsIp(addr) ? null : $"{addr} is not a valid IP";

    public static string? ValidateIpSubnet(string subnet)
    {
        if (subnet.Count(c => c == '/') != 1)
        {
            return ValidateIpAddress(subnet);
        }

        var slash = subnet.IndexOf('/');
        var ip = subnet[..slash];
        var bits = subnet[(slash + 1)..];
        var max = ip.Contains(':') ? 128 : 32;
        var ok = IsIp(ip) && bits.Length is > 0 and <= 3 && bits.All(char.IsAsciiDigit) && (bits.Length == 1 || bits[0] != '0') &&
                 int.Parse(bits, System.Globalization.CultureInfo.InvariantCulture) <= max;
        return ok ? null : $"{subnet} is not a valid CIDR block";
    }

    public static string? ValidateUnixAddress(string addr)
    {
        if (addr.Length == 0)
        {
            return "unix address must not be empty";
        }

        if (addr.StartsWith('@'))
        {
            return null;
        }

        return !addr.StartsWith('/') || addr.EndsWith('/') ? $"{addr} is not an absolute path to a file" : null;
    }

    /// <summary><c>labels.Instance.Validate</c>: key and value rules, each error appended with multierror.Append.</summary>
    public static void ValidateLabels(IEnumerable<KeyValuePair<string, string>> labels, IstioValidation v)
    {
        foreach (var (key, value) in labels)
        {
            var m = TagKey().Match(key);
            if (!m.Success)
            {
                v.MultiError($"invalid tag key: \"{key}\"");
            }
            else if (m.Groups[1].Length > 0 && m.Groups[1].Length - 1 > 253)
            {
                v.MultiError($"invalid tag key: \"{key}\" (DNS prefix is too long)");
            }
            else if (m.Groups[2].Length > 63)
            {
                v.MultiError($"invalid tag key: \"{key}\" (name is too long)");
            }

            if (!LabelValue().IsMatch(value))
            {
                v.MultiError($"invalid tag value: \"{value}\"");
            }
        }
    }

    /// <summary>Protocol names istiod knows (<c>protocol.Parse</c>, case-insensitive).</summary>
    public static string Protocol(string name) => name.ToLowerInvariant() switch
    {
        "tcp" => "TCP",
        "udp" => "UDP",
        "grpc" => "GRPC",
        "grpc-web" => "GRPC-Web",
        "http" => "HTTP",
        "http_proxy" => "HTTP_PROXY",
        "http2" => "HTTP2",
        "https" => "HTTPS",
        "tls" => "TLS",
        "mongo" => "Mongo",
        "redis" => "Redis",
        "mysql" => "MySQL",
        _ => "UnsupportedProtocol",
    };

    public static bool IsHttp(string protocol) => Protocol(protocol) is "HTTP" or "HTTP2" or "HTTP_PROXY" or "GRPC" or "GRPC-Web";

    public static bool IsTcp(string protocol) => Protocol(protocol) is "TCP" or "HTTPS" or "TLS" or "Mongo" or "Redis" or "MySQL";

    public static bool IsTls(string protocol) => Protocol(protocol) is "HTTPS" or "TLS";

    public static bool IsUnsupported(string protocol) => Protocol(protocol) == "UnsupportedProtocol";

    /// <summary><c>ValidatePortName</c>: a DNS-1123 label.</summary>
    public static string? ValidatePortName(string name) => IsDns1123Label(name) ? null : $"invalid port name: {name}";

    /// <summary><c>ValidateProtocol</c>: empty means sniffing; anything else must be known.</summary>
    public static string? ValidateProtocol(string protocol) =>
        protocol.Length > 0 && IsUnsupported(protocol) ? $"unsupported protocol: {protocol}" : null;

    public static string? ValidatePercent(long value) => value is < 0 or > 100 ? $"percentage {value} is not in range 0..100" : null;

    [GeneratedRegex("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$")]
    private static partial Regex WildcardPrefix();

    [GeneratedRegex(@"^([a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*/)?((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    private static partial Regex TagKey();

    [GeneratedRegex("^((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
