using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// The simulated clock of one request: a small deterministic base (1–4 ms, from a hash of the request) plus the
/// source cluster's LinkLatency for traffic that crosses clusters. Also the headers the sidecars add.
/// </summary>
internal static class Timing
{
    public static int BaseMs(MeshRequest request) => 1 + (StableHash.Of($"{request.Source.Name}|{request.Host}|{request.PathAndQuery}") % 4);

    public static TimeSpan Local(MeshRequest request) => TimeSpan.FromMilliseconds(BaseMs(request) + 0.4);

    /// <summary>x-envoy-upstream-service-time of a cross-cluster request: the link latency plus a base of 5–8 ms.</summary>
    public static int CrossClusterMs(MeshRequest request) => (int)request.Source.LinkLatency.TotalMilliseconds + 4 + BaseMs(request);

    public static TimeSpan CrossCluster(MeshRequest request) => TimeSpan.FromMilliseconds(CrossClusterMs(request) + 0.6);

    public static IReadOnlyList<KeyValuePair<string, string>> SidecarHeaders(MeshRequest request, JsonObject targetPod, IMeshClusterView target)
    {
        var seed = $"{request.Source.Name}|{request.Pod.Name()}|{request.Host}|{request.PathAndQuery}|{request.Now.UtcTicks}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed))).ToLowerInvariant();
        var source = $"spiffe://cluster.local/ns/{request.Pod.Namespace()}/sa/{PodFacts.ServiceAccount(request.Pod)}";
        var by = $"spiffe://cluster.local/ns/{targetPod.Namespace()}/sa/{PodFacts.ServiceAccount(targetPod)}";
        return
        [
            new("X-B3-Parentspanid", hash[32..48]),
            new("X-B3-Sampled", "0"),
            new("X-B3-Spanid", hash[48..64]),
            new("X-B3-Traceid", hash[..32]),
            new("X-Envoy-Attempt-Count", "1"),
            new("X-Forwarded-Client-Cert", $"By={by};Hash={hash};Subject=\"\";URI={source}"),
            new("X-Simulated-Cluster", target.Name),
        ];
    }
}
