using System.Net;
using System.Text.RegularExpressions;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation;

/// <summary>
/// istiod's <c>ValidateServiceEntry</c> (validation.istio.io webhook; reference §7.3), worded like istiod.
/// Runs after the schema checks passed.
/// </summary>
internal static partial class ServiceEntryWebhookRules
{
    private static readonly HashSet<string> Protocols = new(StringComparer.OrdinalIgnoreCase)
    {
        "TCP", "UDP", "GRPC", "GRPC-Web", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "Mongo", "Redis", "MySQL",
    };

    public static void Check(SchemaChecker c, List<string> hosts, List<string?> addresses, List<ServiceEntryPort> ports,
        string resolution, List<ServiceEntryEndpoint> endpoints)
    {
        void Fail(string field, object? value, string message) =>
            c.Add(FieldError.Invalid(field, value, $"admission webhook \"validation.istio.io\" denied the request: {message}"));

        for (var i = 0; i < hosts.Count; i++)
        {
            if (!IsWildcardDomain(hosts[i]))
            {
                Fail($"spec.hosts[{i}]", hosts[i], $"invalid host {hosts[i]}");
            }
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            var a = addresses[i] ?? "";
            if (!IsIpOrCidr(a))
            {
                Fail($"spec.addresses[{i}]", a, $"invalid address {a}: must be an IP address or a CIDR block");
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<long>();
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            if (!names.Add(p.Name))
            {
                Fail($"spec.ports[{i}].name", p.Name, $"service entry port name \"{p.Name}\" already defined");
            }

            if (!numbers.Add(p.Number))
            {
                Fail($"spec.ports[{i}].number", p.Number, $"service entry port {p.Number} already defined");
            }

            if (!NameRules.IsDns1123Label(p.Name))
            {
                Fail($"spec.ports[{i}].name", p.Name, $"invalid port name: {p.Name}");
            }

            if (p.Protocol.Length > 0 && !Protocols.Contains(p.Protocol))
            {
                Fail($"spec.ports[{i}].protocol", p.Protocol, $"unrecognized protocol name: {p.Protocol}");
            }
        }

        switch (resolution)
        {
            case "NONE" when endpoints.Count > 0:
                Fail("spec.endpoints", endpoints.Count, "no endpoints should be provided for resolution type none");
                break;
            case "STATIC":
                for (var i = 0; i < endpoints.Count; i++)
                {
                    var a = endpoints[i].Address;
                    if (!ServiceEntryValidator.IsIp(a) && !a.StartsWith("unix://", StringComparison.Ordinal))
                    {
                        Fail($"spec.endpoints[{i}].address", a, $"endpoint address {a} is not a valid IP address");
                    }

                    CheckEndpointPorts(i, endpoints[i], names, Fail);
                }

                break;
            case "DNS" or "DNS_ROUND_ROBIN":
                if (endpoints.Count == 0)
                {
                    for (var i = 0; i < hosts.Count; i++)
                    {
                        if (!IsFqdn(hosts[i]))
                        {
                            Fail($"spec.hosts[{i}]", hosts[i], "hosts must be FQDN if no endpoints are provided for resolution mode DNS");
                        }
                    }
                }

                for (var i = 0; i < endpoints.Count; i++)
                {
                    var a = endpoints[i].Address;
                    if (!ServiceEntryValidator.IsIp(a) && !IsFqdn(a))
                    {
                        Fail($"spec.endpoints[{i}].address", a, $"endpoint address \"{a}\" is not a valid FQDN or an IP address");
                    }

                    CheckEndpointPorts(i, endpoints[i], names, Fail);
                }

                break;
        }

        if (resolution != "NONE" && hosts.Count > 1 &&
            ports.Any(p => !(p.Protocol.StartsWith("HTTP", StringComparison.OrdinalIgnoreCase) || p.Protocol.Equals("TLS", StringComparison.OrdinalIgnoreCase) ||
                             p.Protocol.StartsWith("GRPC", StringComparison.OrdinalIgnoreCase))))
        {
            Fail("spec.hosts", hosts.Count, "multiple hosts provided with non-HTTP, non-TLS ports");
        }
    }

    private static void CheckEndpointPorts(int index, ServiceEntryEndpoint ep, HashSet<string> portNames, Action<string, object?, string> fail)
    {
        foreach (var (name, number) in ep.Ports)
        {
            if (!portNames.Contains(name))
            {
                fail($"spec.endpoints[{index}].ports.{name}", number, $"endpoint port {number} is not defined by the service entry");
            }
        }
    }

    public static bool IsIpOrCidr(string s)
    {
        var slash = s.IndexOf('/');
        if (slash < 0)
        {
            return IPAddress.TryParse(s, out _);
        }

        return IPNetwork.TryParse(s, out _) || (IPAddress.TryParse(s[..slash], out var ip) &&
            int.TryParse(s[(slash + 1)..], out var bits) && bits >= 0 &&
            bits <= (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32));
    }

    /// <summary>A DNS name, optionally starting with "*." (or exactly "*" — rejected earlier by the schema).</summary>
    public static bool IsWildcardDomain(string host)
    {
        if (host.Length is 0 or > 255)
        {
            return false;
        }

        var rest = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host == "*" ? "" : host;
        return rest.Length == 0 ? host == "*" : IsFqdn(rest);
    }

    public static bool IsFqdn(string host) =>
        host.Length is > 0 and <= 255 && host.TrimEnd('.').Split('.').All(l => l.Length <= 63 && DnsLabel().IsMatch(l));

    [GeneratedRegex("^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")]
    private static partial Regex DnsLabel();
}
