using k8s.Models;

namespace MeshPortal.Core.Features.Exports;

/// <summary>Which ports of a live Service an export carries, with their names and Istio protocols. Pure.</summary>
public static class ExportPorts
{
    public static IReadOnlyList<ServicePortInfo> Of(V1Service service) =>
        [.. (service.Spec?.Ports ?? []).Select(p =>
        {
            var protocol = IstioProtocol.Of(p.Name, p.AppProtocol, p.Protocol);
            var name = string.IsNullOrEmpty(p.Name) ? $"{protocol.ToLowerInvariant()}-{p.Port}" : p.Name;
            return new ServicePortInfo(name, p.Port, protocol, p.Protocol ?? "TCP");
        }).OrderBy(p => p.Number)];

    /// <summary>
    /// The requested ports (all of the service's when <paramref name="requested"/> is null), or an error naming the ports
    /// that are out of range or not on the service.
    /// </summary>
    public static (IReadOnlyList<ExportPortSpec> Ports, string? Error) Select(IReadOnlyList<ServicePortInfo> servicePorts, IReadOnlyList<int>? requested, string serviceLabel)
    {
        if (servicePorts.Count == 0)
        {
            return ([], $"Service {serviceLabel} has no ports, so there is nothing to export.");
        }

        if (requested is null)
        {
            return ([.. servicePorts.Select(ToSpec)], null);
        }

        if (Validate(requested) is { } invalid)
        {
            return ([], invalid);
        }

        var missing = requested.Where(n => servicePorts.All(p => p.Number != n)).Distinct().ToList();
        if (missing.Count > 0)
        {
            return ([], $"{Plural(missing, "Port")} {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not on service {serviceLabel}; it has {string.Join(", ", servicePorts.Select(p => $"{p.Number} ({p.Name})"))}.");
        }

        return ([.. servicePorts.Where(p => requested.Contains(p.Number)).Select(ToSpec)], null);
    }

    /// <summary>Null when every number is a valid port and the list is not empty, else a message.</summary>
    public static string? Validate(IReadOnlyList<int> requested)
    {
        if (requested.Count == 0)
        {
            return "Choose at least one port to export (or leave the list out to export all of the service's ports).";
        }

        var outOfRange = requested.Where(n => n is < 1 or > 65535).Distinct().ToList();
        return outOfRange.Count > 0
            ? $"{Plural(outOfRange, "Port")} {string.Join(", ", outOfRange)} {(outOfRange.Count == 1 ? "is" : "are")} out of range; ports are 1-65535."
            : null;
    }

    private static ExportPortSpec ToSpec(ServicePortInfo p) => new(p.Name, p.Number, p.Protocol);

    private static string Plural<T>(IReadOnlyCollection<T> items, string word) => items.Count == 1 ? word : word + "s";
}
