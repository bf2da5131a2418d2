using System.Security.Cryptography;
using System.Text;
using MeshPortal.Simulator.Mesh.State;

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
    public static int CrossClusterMs(MeshRequest request) => (int)request.Source.Faults.LinkLatency.TotalMilliseconds + 4 + BaseMs(request);

    public static TimeSpan CrossCluster(MeshRequest request) => TimeSpan.FromMilliseconds(CrossClusterMs(request) + 0.6);

    /// <summary>Headers the sidecars add: B3 tracing, the attempt count, and with Istio mTLS the client certificate's identity (XFCC).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SidecarHeaders(MeshRequest request, PodInfo client, PodInfo target, string? principal)
    {
        var seed = $"{request.Source.Name}|{client.Name}|{request.Host}|{request.PathAndQuery}|{request.Now.UtcTicks}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed))).ToLowerInvariant();
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-B3-Parentspanid", hash[32..48]),
            new("X-B3-Sampled", "0"),
            new("X-B3-Spanid", hash[48..64]),
            new("X-B3-Traceid", hash[..32]),
            new("X-Envoy-Attempt-Count", "1"),
        };
        if (principal is not null && target.HasSidecar)
        {
            var domain = principal.Split('/')[0];
            headers.Add(new("X-Forwarded-Client-Cert", $"By=spiffe://{domain}/ns/{target.Namespace}/sa/{target.ServiceAccount};Hash={hash};Subject=\"\";URI=spiffe://{principal}"));
        }

        return headers;
    }
}
