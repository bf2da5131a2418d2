using System.Globalization;

namespace MeshPortal.Simulator.Mesh;

/// <summary>The local replies an Istio sidecar (Envoy) writes itself, byte for byte.</summary>
internal static class EnvoyReplies
{
    public const string ConnectionFailure = "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
    public const string ConnectionTermination = "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
    public const string CertificateVerifyFailed = ConnectionFailure + ", transport failure reason: TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED";
    public const string NoHealthyUpstream = "no healthy upstream";

    /// <summary>Envoy's default upstream connect timeout in Istio (meshConfig.connectTimeout, 10 s).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public static HttpReply ServiceUnavailable(string body, DateTimeOffset now) => new(503, "Service Unavailable",
    [
        new("content-length", body.Length.ToString(CultureInfo.InvariantCulture)),
        new("content-type", "text/plain"),
        new("date", Date(now)),
        new("server", "envoy"),
    ], body);

    /// <summary>The server sidecar's RBAC filter denying a request (<c>RBAC: access denied</c>), as it reaches the client.</summary>
    public static HttpReply RbacDenied(DateTimeOffset now, int upstreamMs) => new(403, "Forbidden",
    [
        new("content-length", "19"),
        new("content-type", "text/plain"),
        new("date", Date(now)),
        new("server", "envoy"),
        new("x-envoy-upstream-service-time", upstreamMs.ToString(CultureInfo.InvariantCulture)),
    ], "RBAC: access denied");

    /// <summary>The BlackHole route of REGISTRY_ONLY (<c>block_all</c>): an empty 502.</summary>
    public static HttpReply BadGateway(DateTimeOffset now) => new(502, "Bad Gateway",
    [
        new("date", Date(now)),
        new("server", "envoy"),
        new("content-length", "0"),
    ], "");

    public static HttpReply NotFound(DateTimeOffset now) => new(404, "Not Found",
    [
        new("date", Date(now)),
        new("server", "envoy"),
        new("content-length", "0"),
    ], "");

    public static string Date(DateTimeOffset now) => now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
}
