using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Validation.Webhook;

/// <summary><c>validateWorkloadEntry</c> (1.20.0+), used for a STATIC ServiceEntry's endpoints.</summary>
internal static class WorkloadEntryRules
{
    public static void Endpoint(JsonObject endpoint, IReadOnlySet<string>? servicePorts, bool allowFqdn, IstioValidation v)
    {
        var address = endpoint.Str("address");
        if (address.Length == 0)
        {
            if (endpoint.Str("network").Length == 0)
            {
                v.Error("address is required");
                return;
            }

            v.Warning($"address is unset with network \"{endpoint.Str("network")}\"");
        }

        var unix = false;
        if (address.StartsWith(IstioNames.UnixAddressPrefix, StringComparison.Ordinal))
        {
            unix = true;
            v.Error(IstioNames.ValidateUnixAddress(address[IstioNames.UnixAddressPrefix.Length..]));
            if (endpoint.Count("ports") != 0)
            {
                v.Error($"unix endpoint {address} must not include ports");
            }
        }
        else if (address.Length > 0 && !IstioNames.IsIp(address))
        {
            if (!allowFqdn)
            {
                v.Error($"endpoint address \"{address}\" is not a valid IP address");
            }
            else if (IstioNames.ValidateFqdn(address) is not null)
            {
                v.Error($"endpoint address \"{address}\" is not a valid FQDN or an IP address");
            }
        }

        foreach (var (name, number) in ServiceEntryRules.EndpointPorts(endpoint))
        {
            if (servicePorts is not null && !servicePorts.Contains(name))
            {
                v.Error($"endpoint port {number} is not defined by the service entry");
            }

            v.Error(IstioNames.ValidatePortName(name));
            v.Error(IstioNames.ValidatePort(number));
        }

        IstioNames.ValidateLabels(endpoint.StringMap("labels"), v);
        if (unix && servicePorts is not null && servicePorts.Count != 1)
        {
            v.Error("exactly 1 service port required for unix endpoints");
        }
    }
}
