using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MeshPortal.Simulator.Mesh;

/// <summary>
/// Every simulated service answers like httpbin behind its sidecar: <c>/headers</c>, <c>/get</c>, <c>/ip</c>,
/// <c>/status/N</c>, <c>/</c>; other paths 404 from the app.
/// </summary>
internal static class HttpbinApp
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="request">The request as the client sent it.</param>
    /// <param name="forwarded">Headers the sidecars add (X-B3-*, X-Forwarded-Client-Cert, ...).</param>
    /// <param name="upstreamMs">x-envoy-upstream-service-time; null when no client sidecar is involved.</param>
    public static HttpReply Respond(MeshRequest request, IReadOnlyList<KeyValuePair<string, string>> forwarded, int? upstreamMs)
    {
        var path = request.PathAndQuery.Split('?')[0];
        var headers = RequestHeaders(request, forwarded);
        var (status, reason, type, body) = path switch
        {
            "/headers" => (200, "OK", "application/json", Json(new JsonObject { ["headers"] = headers })),
            "/get" => (200, "OK", "application/json", Json(new JsonObject
            {
                ["args"] = new JsonObject(),
                ["headers"] = headers.DeepClone(),
                ["origin"] = "127.0.0.1",
                ["url"] = $"http://{request.HostHeader}{request.PathAndQuery}",
            })),
            "/ip" => (200, "OK", "application/json", Json(new JsonObject { ["origin"] = "127.0.0.1" })),
            "/" => (200, "OK", "text/html; charset=utf-8", "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>httpbin.org</title></head>\n<body>httpbin.org</body>\n</html>\n"),
            _ when path.StartsWith("/status/", StringComparison.Ordinal) && int.TryParse(path["/status/".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and < 600
                => (code, Reason(code), "text/html; charset=utf-8", ""),
            _ => (404, "Not Found", "text/html", "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n"),
        };

        var replyHeaders = new List<KeyValuePair<string, string>>
        {
            new("server", upstreamMs is null ? "istio-envoy" : "envoy"),
            new("date", EnvoyReplies.Date(request.Now)),
            new("content-type", type),
            new("content-length", Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture)),
            new("access-control-allow-origin", "*"),
            new("access-control-allow-credentials", "true"),
        };
        if (upstreamMs is { } ms)
        {
            replyHeaders.Add(new("x-envoy-upstream-service-time", ms.ToString(CultureInfo.InvariantCulture)));
        }

        return new HttpReply(status, reason, replyHeaders, body);
    }

    private static JsonObject RequestHeaders(MeshRequest request, IReadOnlyList<KeyValuePair<string, string>> forwarded)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Accept"] = "*/*",
            ["Host"] = request.HostHeader,
            ["User-Agent"] = request.UserAgent,
        };
        foreach (var (key, value) in request.ExtraHeaders.Concat(forwarded))
        {
            all[Canonical(key)] = value;
        }

        var obj = new JsonObject();
        foreach (var (key, value) in all)
        {
            obj[key] = value;
        }

        return obj;
    }

    private static string Canonical(string name) =>
        string.Join('-', name.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));

    private static string Json(JsonObject obj) => obj.ToJsonString(Indented) + "\n";

    private static string Reason(int code) => code switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    };
}
