using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// A read-only view of every simulated cluster, used by the mesh rules (what a curl in a pod answers)
/// and by exec. The API server side implements it over its object stores.
/// </summary>
public interface IMeshView
{
    IReadOnlyList<IMeshClusterView> Clusters { get; }

    IMeshClusterView? Find(string clusterName);
}

/// <summary>One simulated cluster as the mesh rules see it.</summary>
public interface IMeshClusterView
{
    string Name { get; }

    /// <summary>Istio version this cluster simulates, e.g. "1.6.8".</summary>
    string IstioVersion { get; }

    /// <summary>
    /// Objects of one resource, independent of the API version they were written with
    /// (like a CRD with several served versions and one storage version).
    /// <paramref name="group"/> is "" for core/v1; <paramref name="plural"/> is e.g. "services", "serviceentries";
    /// <paramref name="namespace"/> null means all namespaces. Returned objects are deep copies.
    /// </summary>
    IReadOnlyList<JsonObject> List(string group, string plural, string? @namespace = null);

    JsonObject? Get(string group, string plural, string? @namespace, string name);

    /// <summary>Fault: the cluster's ingress gateway does not answer (connections to it time out).</summary>
    bool GatewayDown { get; }

    /// <summary>Fault: DNS in this cluster is broken (nothing resolves except pod-local names).</summary>
    bool DnsBroken { get; }

    /// <summary>Fault: exec into pods of this cluster fails.</summary>
    bool ExecFails { get; }

    /// <summary>Simulated latency of a request that leaves this cluster through the mesh.</summary>
    TimeSpan LinkLatency { get; }
}
