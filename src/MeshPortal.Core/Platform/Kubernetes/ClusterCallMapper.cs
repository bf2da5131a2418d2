using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using k8s.Autorest;

namespace MeshPortal.Core.Platform.Kubernetes;

/// <summary>Turns what KubernetesClient throws into <see cref="ClusterCallException"/>.</summary>
internal static class ClusterCallMapper
{
    /// <summary>Runs <paramref name="call"/>; a cancellation of <paramref name="ct"/> stays an <see cref="OperationCanceledException"/>.</summary>
    public static async Task<T> Run<T>(string what, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ClusterCallException && !(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            throw Map(what, ex);
        }
    }

    public static ClusterCallException Map(string what, Exception ex)
    {
        switch (ex)
        {
            case HttpOperationException http when http.Response is not null:
                return FromStatus(what, (int)http.Response.StatusCode, StatusMessage(http.Response.Content), RetryAfter(http));
            case k8s.KubernetesException kex when kex.Status?.Code is int code:
                return FromStatus(what, code, kex.Status.Message, null);
            case OperationCanceledException or TimeoutException:
                return new(ClusterCallErrorKind.Timeout, $"{what}: the API server did not answer in time.");
            case HttpRequestException req:
                return FromRequest(what, req);
            case SocketException sock:
                return new(ClusterCallErrorKind.Unreachable, $"{what}: cannot connect to the API server ({sock.SocketErrorCode}).");
            case AuthenticationException:
                return new(ClusterCallErrorKind.TlsUntrusted, $"{what}: the TLS handshake with the API server failed (its certificate is not trusted).");
            case k8s.Exceptions.KubeConfigException:
                return new(ClusterCallErrorKind.BadConfiguration, $"{what}: the stored kubeconfig cannot be used.");
            default:
                return new(ClusterCallErrorKind.ServerError, $"{what}: {ex.GetType().Name}.");
        }
    }

    private static ClusterCallException FromRequest(string what, HttpRequestException req)
    {
        if (req.StatusCode is { } status)
            return FromStatus(what, (int)status, null, null);
        if (req.InnerException is AuthenticationException || req.HttpRequestError == HttpRequestError.SecureConnectionError)
            return new(ClusterCallErrorKind.TlsUntrusted, $"{what}: the TLS handshake with the API server failed (its certificate is not trusted by the kubeconfig's certificate-authority-data).");
        if (req.HttpRequestError == HttpRequestError.NameResolutionError)
            return new(ClusterCallErrorKind.Unreachable, $"{what}: the API server's host name does not resolve.");
        var socket = req.InnerException as SocketException;
        return new(ClusterCallErrorKind.Unreachable,
            $"{what}: cannot connect to the API server{(socket is null ? "" : $" ({socket.SocketErrorCode})")}.");
    }

    private static ClusterCallException FromStatus(string what, int code, string? serverMessage, TimeSpan? retryAfter)
    {
        var detail = string.IsNullOrWhiteSpace(serverMessage) ? "" : $": {Truncate(serverMessage)}";
        var (kind, text) = code switch
        {
            401 => (ClusterCallErrorKind.Unauthorized, "the credentials were rejected (401 Unauthorized)"),
            403 => (ClusterCallErrorKind.Forbidden, "the credentials are not allowed to do this (403 Forbidden)"),
            404 => (ClusterCallErrorKind.NotFound, "not found (404)"),
            409 => (ClusterCallErrorKind.Conflict, "conflict (409)"),
            422 or 400 => (ClusterCallErrorKind.Invalid, $"the request was rejected as invalid ({code})"),
            429 => (ClusterCallErrorKind.TooManyRequests, "the API server is throttling requests (429 Too Many Requests)"),
            _ => (ClusterCallErrorKind.ServerError, $"the API server answered {code}"),
        };
        return new(kind, $"{what}: {text}{detail}", code) { RetryAfter = retryAfter };
    }

    private static string? StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
            return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TimeSpan? RetryAfter(HttpOperationException http) =>
        http.Response.Headers.TryGetValue("Retry-After", out var values) && int.TryParse(values.FirstOrDefault(), out var s) ? TimeSpan.FromSeconds(s) : null;

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";

    internal static bool IsStatus(Exception ex, HttpStatusCode code) => ex is ClusterCallException { StatusCode: var c } && c == (int)code;
}
