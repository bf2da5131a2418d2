namespace MeshPortal.Simulator;

/// <summary>
/// Faults of one simulated cluster, switchable at any time (thread-safe; every request reads the current values).
/// </summary>
public sealed class SimulatedFaults
{
    private volatile bool _apiDown;
    private volatile bool _tooManyRequests;
    private volatile bool _execFails;
    private volatile bool _gatewayDown;
    private volatile bool _dnsBroken;
    private volatile bool _istiodDown;
    private volatile bool _readerTokensRevoked;
    private volatile bool _eastWestGatewayDown;
    private long _apiLatencyTicks;
    private long _linkLatencyTicks;
    private int _apiErrorStatus;

    /// <summary>The API server is unreachable: new connections are reset before TLS, and requests on kept-alive connections are aborted.</summary>
    public bool ApiDown { get => _apiDown; set => _apiDown = value; }

    /// <summary>Added delay before every API answer.</summary>
    public TimeSpan ApiLatency { get => TimeSpan.FromTicks(Interlocked.Read(ref _apiLatencyTicks)); set => Interlocked.Exchange(ref _apiLatencyTicks, value.Ticks); }

    /// <summary>When set (e.g. 500 or 503), every API request fails with this status and a Status body.</summary>
    public int? ApiErrorStatus { get => _apiErrorStatus == 0 ? null : _apiErrorStatus; set => Interlocked.Exchange(ref _apiErrorStatus, value ?? 0); }

    /// <summary>Every API request gets 429 TooManyRequests with <c>Retry-After: 1</c>.</summary>
    public bool TooManyRequests { get => _tooManyRequests; set => _tooManyRequests = value; }

    /// <summary>Exec into pods of this cluster fails.</summary>
    public bool ExecFails { get => _execFails; set => _execFails = value; }

    /// <summary>This cluster's ingress gateway (<c>istio-ingressgateway</c>) does not answer.</summary>
    public bool GatewayDown { get => _gatewayDown; set => _gatewayDown = value; }

    /// <summary>This cluster's east-west gateway (<c>istio-eastwestgateway</c>) does not answer.</summary>
    public bool EastWestGatewayDown { get => _eastWestGatewayDown; set => _eastWestGatewayDown = value; }

    /// <summary>
    /// istiod is down (CrashLoopBackOff): its proxies keep the last config they had, pods that need injection are refused by the
    /// webhook, proxies that start get no config and certificate. Clearing it restarts istiod, which reads <c>cacerts</c> again.
    /// </summary>
    public bool IstiodDown
    {
        get => _istiodDown;
        set
        {
            if (_istiodDown != value)
            {
                _istiodDown = value;
                Changed?.Invoke();
            }
        }
    }

    /// <summary>
    /// The tokens of this cluster's <c>istio-reader-service-account</c> are revoked (as if their token Secret were deleted and
    /// recreated): remote secrets that carry them stop working (401), so other clusters' istiods cannot read this one.
    /// </summary>
    public bool ReaderTokensRevoked { get => _readerTokensRevoked; set => _readerTokensRevoked = value; }

    /// <summary>Raised after a fault that needs the cluster to act (istiod) changed.</summary>
    internal event Action? Changed;

    /// <summary>DNS inside this cluster is broken.</summary>
    public bool DnsBroken { get => _dnsBroken; set => _dnsBroken = value; }

    /// <summary>Latency of a request that leaves this cluster through the mesh.</summary>
    public TimeSpan LinkLatency { get => TimeSpan.FromTicks(Interlocked.Read(ref _linkLatencyTicks)); set => Interlocked.Exchange(ref _linkLatencyTicks, value.Ticks); }

    /// <summary>Clears every fault.</summary>
    public void Reset()
    {
        ApiDown = false;
        ApiLatency = TimeSpan.Zero;
        ApiErrorStatus = null;
        TooManyRequests = false;
        ExecFails = false;
        GatewayDown = false;
        EastWestGatewayDown = false;
        IstiodDown = false;
        ReaderTokensRevoked = false;
        DnsBroken = false;
        LinkLatency = TimeSpan.Zero;
    }
}
