using MeshPortal.Core.Features.Clusters;

namespace MeshPortal.Core.Features.Exports;

/// <summary>Input checks that need no database or cluster: names, port numbers, consumer names. Pure.</summary>
public static class ExportValidator
{
    public static Dictionary<string, string[]> Validate(ExportRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        Add(errors, "cluster", ClusterName.Validate(request.Cluster) is { } c ? "Exporting cluster: " + c : null);
        Add(errors, "namespace", DnsLabel.Validate(request.Namespace, "namespace"));
        Add(errors, "service", DnsLabel.Validate(request.Service, "service"));
        Add(errors, "ports", request.Ports is null ? null : ExportPorts.Validate(request.Ports));
        Add(errors, "consumers", ValidateConsumers(request.Consumers, request.Cluster));
        return errors;
    }

    public static Dictionary<string, string[]> Validate(ExportChange change, string exportingCluster)
    {
        var errors = new Dictionary<string, string[]>();
        Add(errors, "ports", change.Ports is null ? null : ExportPorts.Validate(change.Ports));
        Add(errors, "consumers", change.AllConsumers == true ? null : ValidateConsumers(change.Consumers, exportingCluster));
        return errors;
    }

    private static string? ValidateConsumers(IReadOnlyList<string>? consumers, string? exportingCluster)
    {
        if (consumers is null)
        {
            return null;
        }

        if (consumers.Count == 0)
        {
            return "Choose at least one consumer cluster (or leave the list out to export to every other cluster).";
        }

        foreach (var consumer in consumers)
        {
            if (ClusterName.Validate(consumer) is { } bad)
            {
                return "Consumer: " + bad;
            }

            if (consumer == exportingCluster)
            {
                return $"'{consumer}' is the exporting cluster itself; a cluster reaches its own services without an export. Choose other clusters as consumers.";
            }
        }

        return null;
    }

    private static void Add(Dictionary<string, string[]> errors, string field, string? message)
    {
        if (message is not null)
        {
            errors[field] = [message];
        }
    }
}
