using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>One HTTP request made from a pod (by curl), before DNS.</summary>
internal sealed record MeshRequest(
    SimulatedMesh Mesh,
    SimulatedCluster Source,
    JsonObject Pod,
    string Method,
    string Host,
    int Port,
    string PathAndQuery,
    DateTimeOffset Now)
{
    /// <summary>Request headers sent by curl besides Host/User-Agent/Accept (from -H), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    public string UserAgent { get; init; } = "curl/7.69.1";

    /// <summary>The Host header: a -H "Host: x" override, else host[:port] as curl writes it.</summary>
    public string HostHeader =>
        ExtraHeaders.LastOrDefault(h => string.Equals(h.Key, "Host", StringComparison.OrdinalIgnoreCase)).Value
        ?? (Port == 80 ? Host : $"{Host}:{Port}");
}
