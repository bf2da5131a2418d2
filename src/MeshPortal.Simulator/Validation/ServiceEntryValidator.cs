using System.Net;
using System.Text.Json.Nodes;
using MeshPortal.Simulator.Api;

namespace MeshPortal.Simulator.Validation;

/// <summary>
/// ServiceEntry validation: the published structural schema (types, enums, required fields, ranges, CEL rules;
/// reference serviceentry-v1-schema.json) followed by istiod's webhook rules (reference §7.3).
/// Unknown fields in <c>spec</c> are pruned, or rejected with fieldValidation=Strict.
/// </summary>
internal static class ServiceEntryValidator
{
    private static readonly string[] Locations = ["MESH_EXTERNAL", "MESH_INTERNAL"];
    private static readonly string[] Resolutions = ["NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN", "DYNAMIC_DNS"];
    private static readonly HashSet<string> SpecFields =
        ["hosts", "addresses", "ports", "location", "resolution", "endpoints", "workloadSelector", "exportTo", "subjectAltNames"];
    private static readonly HashSet<string> PortFields = ["number", "protocol", "name", "targetPort"];
    private static readonly HashSet<string> EndpointFields = ["address", "ports", "labels", "network", "locality", "weight", "serviceAccount"];

    public static List<FieldError> Validate(JsonObject obj, bool strict)
    {
        var c = new SchemaChecker();
        if (obj["spec"] is null)
        {
            c.Add(FieldError.Required("spec"));
            return c.Errors;
        }

        var spec = c.Object(obj["spec"], "spec");
        if (spec is null)
        {
            return c.Errors;
        }

        c.UnknownFields(spec, "spec", SpecFields, strict);
        var hosts = CheckHosts(c, spec);
        var addresses = c.Array(spec["addresses"], "spec.addresses", 256)?.Select((a, i) => c.String(a, $"spec.addresses[{i}]", 64)).ToList() ?? [];
        var ports = CheckPorts(c, spec, strict);
        c.Enum(spec["location"], "spec.location", Locations);
        var resolution = c.Enum(spec["resolution"], "spec.resolution", Resolutions) ?? "NONE";
        var endpoints = CheckEndpoints(c, spec, strict);
        c.Array(spec["exportTo"], "spec.exportTo")?.Select((e, i) => c.String(e, $"spec.exportTo[{i}]")).ToList();
        c.Array(spec["subjectAltNames"], "spec.subjectAltNames")?.Select((e, i) => c.String(e, $"spec.subjectAltNames[{i}]")).ToList();
        if (c.Object(spec["workloadSelector"], "spec.workloadSelector") is { } ws)
        {
            c.StringMap(ws["labels"], "spec.workloadSelector.labels");
        }

        if (c.Errors.Count > 0)
        {
            return c.Errors;
        }

        CelRules(c, spec, resolution, addresses, endpoints);
        if (c.Errors.Count == 0)
        {
            ServiceEntryWebhookRules.Check(c, hosts, addresses!, ports, resolution, endpoints);
        }

        return c.Errors;
    }

    private static List<string> CheckHosts(SchemaChecker c, JsonObject spec)
    {
        if (spec["hosts"] is null)
        {
            c.Add(FieldError.Required("spec.hosts"));
            return [];
        }

        var array = c.Array(spec["hosts"], "spec.hosts", 256);
        if (array is null)
        {
            return [];
        }

        if (array.Count == 0)
        {
            c.Add(FieldError.Invalid("spec.hosts", 0, "spec.hosts in body should have at least 1 items"));
        }

        var hosts = new List<string>();
        for (var i = 0; i < array.Count; i++)
        {
            var h = c.String(array[i], $"spec.hosts[{i}]");
            if (h == "*")
            {
                c.Add(FieldError.Invalid($"spec.hosts[{i}]", "string", "hostname cannot be wildcard"));
            }

            if (h is not null)
            {
                hosts.Add(h);
            }
        }

        return hosts;
    }

    private static List<ServiceEntryPort> CheckPorts(SchemaChecker c, JsonObject spec, bool strict)
    {
        var result = new List<ServiceEntryPort>();
        var array = c.Array(spec["ports"], "spec.ports", 256);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var field = $"spec.ports[{i}]";
            if (c.Object(array![i], field) is not { } port)
            {
                continue;
            }

            c.UnknownFields(port, field, PortFields, strict);
            if (port["number"] is null)
            {
                c.Add(FieldError.Required($"{field}.number"));
            }

            if (port["name"] is null)
            {
                c.Add(FieldError.Required($"{field}.name"));
            }

            const string range = "port must be between 1-65535";
            var number = c.Integer(port["number"], $"{field}.number", 1, 65535, range);
            var name = c.String(port["name"], $"{field}.name", 256);
            var protocol = c.String(port["protocol"], $"{field}.protocol", 256);
            c.Integer(port["targetPort"], $"{field}.targetPort", 1, 65535, range);
            if (name is not null && result.Any(p => p.Name == name))
            {
                c.Add(FieldError.Duplicate(field, $"map[string]interface {{}}{{\"name\":\"{name}\"}}"));
            }

            if (number is not null && result.Any(p => p.Number == number))
            {
                c.Add(FieldError.Invalid("spec.ports", "array", "port number cannot be duplicated"));
            }

            result.Add(new ServiceEntryPort(name ?? "", number ?? 0, protocol ?? ""));
        }

        return result;
    }

    private static List<ServiceEntryEndpoint> CheckEndpoints(SchemaChecker c, JsonObject spec, bool strict)
    {
        var result = new List<ServiceEntryEndpoint>();
        var array = c.Array(spec["endpoints"], "spec.endpoints", 4096);
        for (var i = 0; i < (array?.Count ?? 0); i++)
        {
            var field = $"spec.endpoints[{i}]";
            if (c.Object(array![i], field) is not { } ep)
            {
                continue;
            }

            c.UnknownFields(ep, field, EndpointFields, strict);
            var address = c.String(ep["address"], $"{field}.address", 256);
            var network = c.String(ep["network"], $"{field}.network", 2048);
            c.String(ep["locality"], $"{field}.locality", 2048);
            c.String(ep["serviceAccount"], $"{field}.serviceAccount", 253);
            c.Integer(ep["weight"], $"{field}.weight", 0, uint.MaxValue);
            c.StringMap(ep["labels"], $"{field}.labels");
            var ports = new Dictionary<string, long>();
            if (c.Object(ep["ports"], $"{field}.ports") is { } map)
            {
                foreach (var (key, value) in map)
                {
                    if (key.Length >= 63 || !System.Text.RegularExpressions.Regex.IsMatch(key, "^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$"))
                    {
                        c.Add(FieldError.Invalid($"{field}.ports", "object", "port name must be valid"));
                    }

                    if (c.Integer(value, $"{field}.ports.{key}", 1, 65535, "port must be between 1-65535") is { } n)
                    {
                        ports[key] = n;
                    }
                }
            }

            if (address is null && network is null)
            {
                c.Add(FieldError.Invalid(field, "object", "Address is required"));
            }

            if (address is not null && address.StartsWith("unix://", StringComparison.Ordinal) && ep["ports"] is not null)
            {
                c.Add(FieldError.Invalid(field, "object", "UDS may not include ports"));
            }

            result.Add(new ServiceEntryEndpoint(address ?? "", ports));
        }

        return result;
    }

    private static void CelRules(SchemaChecker c, JsonObject spec, string resolution, List<string?> addresses, List<ServiceEntryEndpoint> endpoints)
    {
        if (spec["workloadSelector"] is not null && spec["endpoints"] is not null)
        {
            c.Add(FieldError.Invalid("spec", "object", "only one of WorkloadSelector or Endpoints can be set"));
        }

        if (addresses.Any(a => a is not null && a.Contains('/')) && resolution is not ("NONE" or "STATIC"))
        {
            c.Add(FieldError.Invalid("spec", "object", "CIDR addresses are allowed only for NONE/STATIC resolution types"));
        }

        if (resolution == "NONE" && endpoints.Count > 0)
        {
            c.Add(FieldError.Invalid("spec", "object", "NONE mode cannot set endpoints"));
        }

        if (resolution == "DNS_ROUND_ROBIN" && endpoints.Count > 1)
        {
            c.Add(FieldError.Invalid("spec", "object", "DNS_ROUND_ROBIN mode cannot have multiple endpoints"));
        }
    }

    internal static bool IsIp(string s) => IPAddress.TryParse(s, out _) && !s.Contains('/');
}

internal sealed record ServiceEntryPort(string Name, long Number, string Protocol);

internal sealed record ServiceEntryEndpoint(string Address, IReadOnlyDictionary<string, long> Ports);
