using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary>
/// istiod's <c>ValidateServiceEntry</c> (<c>pkg/config/validation/validation.go</c>): the 1.24.0/1.28.0 rules, with the
/// differences of earlier releases where they change what a user sees (1.6.8 and 1.9.5: port checks after the resolution
/// checks, no warnings; STATIC endpoints through validateWorkloadEntry from 1.20; DNS_ROUND_ROBIN limits from 1.18;
/// DYNAMIC_DNS and prefix-wildcard hosts from 1.28).
/// </summary>
internal static class ServiceEntryRules
{
    public static void Validate(IstioConfig cfg, IstioValidation v)
    {
        var spec = cfg.Spec;
        var selector = spec.Obj("workloadSelector");
        var selectorErrors = new IstioValidation();
        var noLabels = CommonRules.AlphaWorkloadSelector(selector, selectorErrors);
        if (selectorErrors.HasErrors)
        {
            // ValidateAlphaWorkloadSelector's error is returned on its own.
            v.Add(selectorErrors);
            return;
        }

        if (noLabels && cfg.AtLeast(16))
        {
            v.Warning("service entry: workload selector specified without labels, will be applied to all services in namespace");
        }

        var resolution = spec.Has("resolution") ? spec.Str("resolution") : "NONE";
        var hosts = spec.Strings("hosts");
        var addresses = spec.Strings("addresses");
        var ports = spec.Objects("ports");
        var endpoints = spec.Objects("endpoints");
        if (selector is not null && spec.Has("endpoints"))
        {
            v.Error("only one of WorkloadSelector or Endpoints is allowed in Service Entry");
        }

        if (hosts.Count == 0)
        {
            v.Error("service entry must have at least one host");
        }

        foreach (var host in hosts)
        {
            if (host == "*")
            {
                v.Error($"invalid host {host}");
                continue;
            }

            v.Error(IstioNames.ValidateWildcardDomain(host));
            if (cfg.AtLeast(18) && !(cfg.AtLeast(28) && resolution == "DYNAMIC_DNS"))
            {
                v.Warning(IstioNames.ValidatePartialWildcard(host));
            }
        }

        var cidr = false;
        foreach (var address in addresses)
        {
            cidr |= address.Contains('/');
            v.Error(IstioNames.ValidateIpSubnet(address));
        }

        if (cidr && resolution is not ("NONE" or "STATIC"))
        {
            v.Error("CIDR addresses are allowed only for NONE/STATIC resolution types");
        }

        var portNames = new HashSet<string>(StringComparer.Ordinal);
        var portNumbers = new HashSet<long>();
        var autoAllocation = cfg.AtLeast(25) && resolution != "NONE" && addresses.Count == 0 &&
                             !string.Equals(cfg.Labels.GetValueOrDefault("networking.istio.io/enable-autoallocate-ip"), "false", StringComparison.OrdinalIgnoreCase);
        foreach (var port in ports)
        {
            var name = port.Str("name");
            if (!portNames.Add(name))
            {
                v.Error($"service entry port name \"{name}\" already defined");
            }

            if (!portNumbers.Add(port.Num("number")))
            {
                v.Error($"service entry port {port.Num("number")} already defined");
            }

            if (!cfg.AtLeast(10))
            {
                continue;
            }

            if (port.Num("targetPort") != 0)
            {
                v.Error(IstioNames.ValidatePort(port.Num("targetPort")));
            }

            var protocol = port.Str("protocol");
            if (cfg.AtLeast(16) && addresses.Count == 0 && !autoAllocation && (protocol.Length == 0 || protocol == "TCP"))
            {
                v.Warning("addresses are required for ports serving TCP (or unset) protocol " +
                          (cfg.AtLeast(25) ? "when IP Autoallocation is not enabled" : "when ISTIO_META_DNS_AUTO_ALLOCATE is not set on a proxy"));
            }

            PortChecks(port, v);
        }

        Resolution(cfg, resolution, hosts, addresses, ports, endpoints, portNames, selector, v);
        if (resolution != "NONE" && hosts.Count > 1 && ports.Any(p => !IstioNames.IsHttp(p.Str("protocol")) && !IstioNames.IsTls(p.Str("protocol"))))
        {
            v.Error("multiple hosts provided with non-HTTP, non-TLS ports");
        }

        if (!cfg.AtLeast(10))
        {
            // Through 1.9 every port's name, protocol and number were checked last.
            foreach (var port in ports)
            {
                PortChecks(port, v);
            }
        }

        CommonRules.ExportTo(cfg, spec.Strings("exportTo"), isServiceEntry: true, isDestinationRuleWithSelector: false, v);
    }

    private static void PortChecks(JsonObject port, IstioValidation v)
    {
        v.Error(IstioNames.ValidatePortName(port.Str("name")));
        v.Error(IstioNames.ValidateProtocol(port.Str("protocol")));
        v.Error(IstioNames.ValidatePort(port.Num("number")));
    }

    private static void Resolution(IstioConfig cfg, string resolution, IReadOnlyList<string> hosts, IReadOnlyList<string> addresses,
        IReadOnlyList<JsonObject> ports, IReadOnlyList<JsonObject> endpoints, HashSet<string> portNames, JsonObject? selector, IstioValidation v)
    {
        switch (resolution)
        {
            case "NONE":
                if (endpoints.Count != 0)
                {
                    v.Error("no endpoints should be provided for resolution type none");
                }

                if (selector is not null && cfg.AtLeast(22))
                {
                    v.Warning("workloadSelector should not be set when resolution mode is NONE");
                }

                break;
            case "STATIC":
                Static(cfg, ports, endpoints, portNames, v);
                break;
            case "DNS" or "DNS_ROUND_ROBIN":
                Dns(cfg, resolution, hosts, addresses, ports, endpoints, portNames, selector, v);
                break;
            case "DYNAMIC_DNS" when cfg.AtLeast(28):
                DynamicDns(cfg, resolution, hosts, addresses, ports, endpoints, v);
                break;
            default:
                v.Error($"unsupported resolution type {resolution}");
                break;
        }
    }

    private static void Static(IstioConfig cfg, IReadOnlyList<JsonObject> ports, IReadOnlyList<JsonObject> endpoints, HashSet<string> portNames, IstioValidation v)
    {
        if (cfg.AtLeast(20))
        {
            foreach (var endpoint in endpoints)
            {
                WorkloadEntryRules.Endpoint(endpoint, portNames, allowFqdn: false, v);
            }

            return;
        }

        var unix = false;
        foreach (var endpoint in endpoints)
        {
            var address = endpoint.Str("address");
            if (address.StartsWith(IstioNames.UnixAddressPrefix, StringComparison.Ordinal))
            {
                unix = true;
                v.Error(IstioNames.ValidateUnixAddress(address[IstioNames.UnixAddressPrefix.Length..]));
                if (endpoint.Count("ports") != 0)
                {
                    v.Error($"unix endpoint {address} must not include ports");
                }
            }
            else
            {
                v.Error(IstioNames.ValidateIpAddress(address));
                foreach (var (name, number) in EndpointPorts(endpoint))
                {
                    if (!portNames.Contains(name))
                    {
                        v.Error($"endpoint port {number} is not defined by the service entry");
                    }
                }
            }

            IstioNames.ValidateLabels(endpoint.StringMap("labels"), v);
        }

        if (unix && ports.Count != 1)
        {
            v.Error("exactly 1 service port required for unix endpoints");
        }
    }

    private static void Dns(IstioConfig cfg, string resolution, IReadOnlyList<string> hosts, IReadOnlyList<string> addresses,
        IReadOnlyList<JsonObject> ports, IReadOnlyList<JsonObject> endpoints, HashSet<string> portNames, JsonObject? selector, IstioValidation v)
    {
        if (endpoints.Count == 0)
        {
            foreach (var host in hosts)
            {
                if (IstioNames.ValidateFqdn(host) is not { } error)
                {
                    continue;
                }

                if (cfg.AtLeast(28))
                {
                    v.Error($"hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode {resolution}, {error}");
                    break;
                }

                v.Error($"hosts must be FQDN if no endpoints are provided for resolution mode {resolution}");
            }
        }

        if (resolution == "DNS_ROUND_ROBIN" && endpoints.Count > 1 && cfg.AtLeast(18))
        {
            v.Error($"there must only be 0 or 1 endpoint for resolution mode {resolution}");
        }

        foreach (var endpoint in endpoints)
        {
            var address = endpoint.Str("address");
            if (!IstioNames.IsIp(address) && IstioNames.ValidateFqdn(address) is not null)
            {
                v.Error($"endpoint address \"{address}\" is not a valid FQDN or an IP address");
            }

            IstioNames.ValidateLabels(endpoint.StringMap("labels"), v);
            foreach (var (name, number) in EndpointPorts(endpoint))
            {
                if (!portNames.Contains(name))
                {
                    v.Error($"endpoint port {number} is not defined by the service entry");
                }

                v.Error(IstioNames.ValidatePortName(name));
                v.Error(IstioNames.ValidatePort(number));
            }
        }

        if (selector is not null && cfg.AtLeast(22))
        {
            v.Warning($"workloadSelector should not be set when resolution mode is {resolution}");
        }

        if (addresses.Count > 0 && hosts.Count > 1 && cfg.AtLeast(10) && ports.FirstOrDefault(p => IstioNames.IsTcp(p.Str("protocol"))) is not null)
        {
            v.Warning("service entry can not have more than one host specified simultaneously with address and tcp port");
        }
    }

    private static void DynamicDns(IstioConfig cfg, string resolution, IReadOnlyList<string> hosts, IReadOnlyList<string> addresses,
        IReadOnlyList<JsonObject> ports, IReadOnlyList<JsonObject> endpoints, IstioValidation v)
    {
        if (hosts.Count == 0)
        {
            v.Error($"at least one wildcard host must be provided for resolution type {resolution}");
        }

        foreach (var host in hosts)
        {
            if (!host.StartsWith('*'))
            {
                v.Error($"host must be wildcarded for resolution mode {resolution}");
            }
        }

        if (addresses.Count != 0)
        {
            v.Error($"addresses cannot be set for resolution type {resolution}. HTTP route domains will only be generatedfrom the hosts field values");
        }

        if (endpoints.Count != 0)
        {
            v.Error($"endpoints cannot be set for resolution type {resolution}. Destination IP address determined from hostsfield values");
        }

        foreach (var port in ports)
        {
            if (IstioNames.Protocol(port.Str("protocol")) != "HTTP")
            {
                v.Error($"only HTTP protocol is supported for resolution type {resolution}");
            }
        }

        if ((cfg.Spec.Has("location") ? cfg.Spec.Str("location") : "MESH_EXTERNAL") != "MESH_EXTERNAL")
        {
            v.Error($"location must be MESH_EXTERNAL for resolution type {resolution}");
        }
    }

    public static IEnumerable<(string Name, long Number)> EndpointPorts(JsonObject endpoint) =>
        endpoint.Obj("ports") is { } map
            ? map.Select(p => (p.Key, MeshPortal.Simulator.Api.JsonNumbers.Int64(p.Value) ?? 0)).OrderBy(p => p.Key, StringComparer.Ordinal)
            : [];
}
