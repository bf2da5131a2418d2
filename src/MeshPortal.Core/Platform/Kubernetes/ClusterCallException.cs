namespace MeshPortal.Core.Platform.Kubernetes;

public enum ClusterCallErrorKind
{
    Unreachable,
    Timeout,
    TlsUntrusted,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Invalid,
    TooManyRequests,
    ServerError,
    /// <summary>The stored kubeconfig cannot be turned into a client (refused by policy or unreadable).</summary>
    BadConfiguration,
}

/// <summary>
/// A failed call to a cluster's API server, with a message a person can read. Messages never contain the kubeconfig,
/// tokens or keys; the original exception is not kept as InnerException for the same reason.
/// </summary>
public sealed class ClusterCallException(ClusterCallErrorKind kind, string message, int? statusCode = null) : Exception(message)
{
    public ClusterCallErrorKind Kind { get; } = kind;

    /// <summary>The HTTP status the API server answered with, when it answered.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>For 429 and some 5xx: how long the server asked to wait.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
