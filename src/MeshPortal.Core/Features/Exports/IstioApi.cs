using MeshPortal.Core.Features.MeshModel;
using MeshPortal.Core.Platform.Kubernetes;

namespace MeshPortal.Core.Features.Exports;

/// <summary>
/// Which <c>networking.istio.io</c> version to write for a cluster's Istio (reference §5.1/§5.6): v1alpha3 before 1.8 (the 1.6
/// docs' version), v1beta1 from 1.8, v1 from 1.22. Unknown versions get v1alpha3, which every Istio release serves.
/// EnvoyFilter exists only as v1alpha3.
/// </summary>
public static class IstioApi
{
    public const string Group = "networking.istio.io";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Versions = new(StringComparer.Ordinal);

    /// <summary>Asked once per object on every push: parsed once per distinct version string.</summary>
    public static string NetworkingVersion(string? istioVersion) => istioVersion is null
        ? ParseNetworkingVersion(null)
        : Versions.Count < 256 ? Versions.GetOrAdd(istioVersion, ParseNetworkingVersion) : ParseNetworkingVersion(istioVersion);

    private static string ParseNetworkingVersion(string? istioVersion) => istioVersion switch
    {
        _ when ClusterFactsReader.IsAtLeast(istioVersion, "1.22") => "v1",
        _ when ClusterFactsReader.IsAtLeast(istioVersion, "1.8") => "v1beta1",
        _ => "v1alpha3",
    };

    public static ObjectRef ServiceEntry(string? istioVersion, string @namespace, string name) =>
        new(Group, NetworkingVersion(istioVersion), "serviceentries", "ServiceEntry", @namespace, name);

    public static ObjectRef Gateway(string? istioVersion, string @namespace, string name) =>
        new(Group, NetworkingVersion(istioVersion), "gateways", "Gateway", @namespace, name);

    public static ObjectRef DestinationRule(string? istioVersion, string @namespace, string name) =>
        new(Group, NetworkingVersion(istioVersion), "destinationrules", "DestinationRule", @namespace, name);

    public static ObjectRef EnvoyFilter(string @namespace, string name) =>
        new(Group, "v1alpha3", "envoyfilters", "EnvoyFilter", @namespace, name);

    /// <summary>The manifest skeleton: apiVersion, kind, metadata (name, namespace, labels, annotations).</summary>
    public static System.Text.Json.Nodes.JsonObject Manifest(ObjectRef r, string source, bool owned)
    {
        var metadata = new System.Text.Json.Nodes.JsonObject { ["name"] = r.Name };
        if (r.Namespace is not null)
        {
            metadata["namespace"] = r.Namespace;
        }

        if (owned)
        {
            metadata["labels"] = new System.Text.Json.Nodes.JsonObject { [ManagedLabels.ManagedBy] = ManagedLabels.ManagedByValue };
            metadata["annotations"] = new System.Text.Json.Nodes.JsonObject { [ManagedLabels.Source] = source };
        }

        return new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = r.ApiVersion, ["kind"] = r.Kind, ["metadata"] = metadata };
    }
}
