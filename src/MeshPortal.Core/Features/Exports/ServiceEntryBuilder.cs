using System.Net;
using System.Text.Json.Nodes;
using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Features.Sync;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// The ServiceEntry a consumer cluster needs for one export, in the seed's shape (reference §1): host
/// <c>&lt;svc&gt;.&lt;ns&gt;.global</c>, MESH_INTERNAL, the exported ports, <c>addresses: [VIP]</c>, and one endpoint: the exporting
/// cluster's gateway, each port mapped to 15443 (or the gateway's 15443 nodePort when it has no load balancer). Pure.
/// </summary>
public static class ServiceEntryBuilder
{
    public static DesiredObject Build(ExportSpec export, ClusterTarget exporter, ClusterTarget consumer, ExportPlanSettings settings)
    {
        var reference = IstioApi.ServiceEntry(consumer.IstioVersion, settings.Namespace, ExportNames.ServiceEntryName(export.Service, export.Namespace));
        var body = IstioApi.Manifest(reference, export.Source, owned: true);
        body["metadata"]!["annotations"]!["meshportal.io/exported-from"] = exporter.Name;
        body["spec"] = Spec(export, exporter, settings);
        return new DesiredObject(reference, body, export.Source);
    }

    public static JsonObject Spec(ExportSpec export, ClusterTarget exporter, ExportPlanSettings settings)
    {
        var gatewayAddress = exporter.GatewayAddress ?? throw new ArgumentException($"Cluster {exporter.Name} has no gateway address.", nameof(exporter));
        var gatewayPort = exporter.GatewayPort ?? ClusterFactsReader.CrossClusterPort;
        var endpointPorts = new JsonObject();
        var ports = new JsonArray();
        foreach (var port in export.Ports.OrderBy(p => p.Number))
        {
            ports.Add(new JsonObject { ["name"] = port.Name, ["number"] = port.Number, ["protocol"] = port.Protocol });
            endpointPorts[port.Name] = gatewayPort;
        }

        return new JsonObject
        {
            ["hosts"] = new JsonArray(export.Host),
            ["location"] = "MESH_INTERNAL",
            ["ports"] = ports,
            ["resolution"] = Resolution([gatewayAddress], settings),
            ["addresses"] = new JsonArray(export.Address),
            ["endpoints"] = new JsonArray(new JsonObject { ["address"] = gatewayAddress, ["ports"] = endpointPorts }),
            ["exportTo"] = new JsonArray("*"),
        };
    }

    /// <summary>
    /// DNS, as in the seed: valid for IP and hostname endpoints on every Istio version. STATIC only when configured and every
    /// endpoint is an IP (Istio's validation rejects STATIC with hostname endpoints, reference §7.3).
    /// </summary>
    public static string Resolution(IEnumerable<string> endpointAddresses, ExportPlanSettings settings) =>
        settings.StaticWhenIp && endpointAddresses.All(a => IPAddress.TryParse(a, out _)) ? "STATIC" : "DNS";
}
