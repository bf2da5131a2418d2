using System.Collections.Concurrent;
using MeshPortal.Simulator.Mesh;

namespace MeshPortal.Simulator.Runtime;

/// <summary>
/// What one cluster's processes hold in memory, beside its objects: the running istiod of each revision (the CA it read at start),
/// the certificate and root bundle each proxy got when it started, the proxies' frozen config while their istiod is away, and the
/// service account tokens the API server accepts. Written by the cluster's controllers under the store gate; read lock-free.
/// </summary>
internal sealed class ClusterRuntime
{
    private readonly ConcurrentDictionary<string, IstiodRun> _istiods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WorkloadCert> _certs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> _frozen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _pending = new(StringComparer.Ordinal);

    public ServiceAccountTokens Tokens { get; } = new();

    /// <summary>Bumped on every change here, so caches of derived views can key on it.</summary>
    public long Version => Interlocked.Read(ref _version);

    private long _version;

    /// <summary>The serving istiod of a revision ("default" for none), or null when none is serving.</summary>
    public IstiodRun? Istiod(string revision) => _istiods.GetValueOrDefault(revision);

    public IReadOnlyCollection<IstiodRun> Istiods => [.. _istiods.Values];

    public void Started(IstiodRun run)
    {
        _istiods[run.Revision] = run;
        _frozen.TryRemove(run.Revision, out _);
        Touch();
    }

    /// <summary>istiod of a revision stopped serving; its proxies keep <paramref name="lastConfig"/>.</summary>
    public void Stopped(string revision, object? lastConfig)
    {
        if (_istiods.TryRemove(revision, out _) && lastConfig is not null)
        {
            _frozen[revision] = lastConfig;
        }

        Touch();
    }

    public void Reloaded(string revision, CaMaterial ca)
    {
        if (_istiods.TryGetValue(revision, out var run))
        {
            _istiods[revision] = run with { Ca = ca };
            Touch();
        }
    }

    /// <summary>The config the proxies of a revision kept when their istiod stopped; null while it serves.</summary>
    public object? FrozenConfig(string revision) => _frozen.GetValueOrDefault(revision);

    /// <summary>The certificate a proxy (by pod uid) got at start; null when it has none yet.</summary>
    public WorkloadCert? Cert(string podUid) => _certs.GetValueOrDefault(podUid);

    public void Issue(string podUid, WorkloadCert cert)
    {
        _certs[podUid] = cert;
        _pending.TryRemove(podUid, out _);
        Touch();
    }

    public void Waiting(string podUid)
    {
        _pending[podUid] = 0;
        Touch();
    }

    public bool IsWaiting(string podUid) => _pending.ContainsKey(podUid);

    public IReadOnlyCollection<string> WaitingPods => [.. _pending.Keys];

    public void Forget(string podUid)
    {
        _certs.TryRemove(podUid, out _);
        _pending.TryRemove(podUid, out _);
        Touch();
    }

    private void Touch() => Interlocked.Increment(ref _version);
}

/// <summary>A running istiod: its pod, when it started, the CA it signs with (plugged <c>cacerts</c> or self-signed) and its env.</summary>
internal sealed record IstiodRun(
    string Revision,
    string PodUid,
    string PodName,
    DateTimeOffset StartedAt,
    CaMaterial Ca,
    bool Plugged,
    IReadOnlyDictionary<string, string> Env);

/// <summary>A proxy's workload certificate: issued by <see cref="Issuer"/> (whose roots it trusts), at <see cref="IssuedAt"/>.</summary>
internal sealed record WorkloadCert(CaMaterial Issuer, DateTimeOffset IssuedAt);
