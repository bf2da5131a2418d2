namespace MeshPortal.Simulator.Mesh;

/// <summary>Which rule decided the answer. Each broken precondition has its own verdict (MESH-RULES.md lists them).</summary>
internal enum MeshVerdict
{
    Ok,
    NotResolved,
    PodLocalRefused,
    NoProxyConfig,
    UnknownAddress,
    NoSidecarUnroutable,
    KubeProxyNoEndpoints,
    PassthroughUnroutable,
    UnknownHostPassthrough,
    RegistryOnlyBlocked,
    NoHealthyUpstream,
    PodUnreachable,
    NetworkPartition,
    UnknownEndpoint,
    GatewayDown,
    GatewayPortWrong,
    PassthroughListenerMissing,
    PlaintextToGateway,
    NoFilterChain,
    GatewayClusterMissing,
    GatewayNoEndpoints,
    TargetWithoutSidecar,
    TlsModeMismatch,
    TrustMismatch,
    RbacDenied,
}

/// <summary>What the network does with the connection, before curl's own timeouts are applied.</summary>
internal enum MeshTransport
{
    /// <summary>The name does not resolve.</summary>
    NotResolved,

    /// <summary>TCP connect is refused (RST).</summary>
    Refused,

    /// <summary>TCP connect never completes (SYN dropped): only curl's timeouts end it.</summary>
    ConnectHang,

    /// <summary>Connected, then the peer resets without a response after <see cref="MeshAnswer.Elapsed"/>.</summary>
    Reset,

    /// <summary>An HTTP response arrives after <see cref="MeshAnswer.Elapsed"/>.</summary>
    Reply,
}

/// <summary>
/// The mesh's answer to one request. Time is simulated: <see cref="Elapsed"/> is what curl reports
/// (time_total, e.g. Envoy's 10 s upstream connect timeout), <see cref="RealDelay"/> is what the simulator
/// actually waits (the source cluster's LinkLatency for traffic that leaves the cluster, else zero).
/// </summary>
internal sealed record MeshAnswer(MeshVerdict Verdict, MeshTransport Transport, string Explanation)
{
    public string? Address { get; init; }

    public HttpReply? Reply { get; init; }

    public TimeSpan Elapsed { get; init; }

    public TimeSpan RealDelay { get; init; }
}
