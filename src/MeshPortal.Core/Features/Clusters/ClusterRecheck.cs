using Hangfire;
using MeshPortal.Core.Platform.Configuration;
using MeshPortal.Core.Platform.Kubernetes;
using Microsoft.Extensions.Options;

namespace MeshPortal.Core.Features.Clusters;

/// <summary>
/// Told by a push or a probe that found a cluster's API unreachable, so the cluster's status follows at once instead of
/// waiting for the 5-minute check (issue 16). Implementations must be cheap and never throw.
/// </summary>
public interface IClusterApiUnreachable
{
    void ApiUnreachable(string clusterName);
}

/// <summary>
/// Which failed cluster calls are the connection check's business (its API stages: reachable, TLS, authentication) rather
/// than an answer about one object. A reset during the handshake (an API server going down) surfaces as a TLS failure.
/// </summary>
public static class ApiUnreachableKinds
{
    public static bool Matches(ClusterCallException ex) => ex.Kind is ClusterCallErrorKind.Unreachable or ClusterCallErrorKind.Timeout
        or ClusterCallErrorKind.TlsUntrusted or ClusterCallErrorKind.Unauthorized;
}

/// <summary>
/// Re-checks a cluster whose API was found unreachable: one connection check now (the status flips to down) and one
/// <see cref="JobOptions.RecheckAfterUnreachableSeconds"/> later (so a short outage recovers without the cron). Coalesced:
/// a burst of reports within that window (every probe target, every push retry) triggers one pair of checks. While the
/// API stays down, the next probe cycle reports it again and so keeps the re-checks going.
/// </summary>
public sealed class ClusterRecheckScheduler(IBackgroundJobClient jobs, TimeProvider clock, IOptions<MeshPortalOptions> options) : IClusterApiUnreachable
{
    private readonly Dictionary<string, DateTimeOffset> lastRequested = new(StringComparer.Ordinal);

    public TimeSpan Window => TimeSpan.FromSeconds(Math.Max(1, options.Value.Jobs.RecheckAfterUnreachableSeconds));

    public void ApiUnreachable(string clusterName) => TryRequest(clusterName);

    /// <summary>True when checks were enqueued; false when an earlier report within the window already did.</summary>
    public bool TryRequest(string clusterName)
    {
        var now = clock.GetUtcNow();
        var window = Window;
        lock (lastRequested)
        {
            if (lastRequested.TryGetValue(clusterName, out var last) && now - last < window)
            {
                return false;
            }

            lastRequested[clusterName] = now;
        }

        jobs.Enqueue<ClusterCheckJob>(j => j.CheckOneAsync(clusterName, CancellationToken.None));
        jobs.Schedule<ClusterCheckJob>(j => j.CheckOneAsync(clusterName, CancellationToken.None), window);
        return true;
    }
}
